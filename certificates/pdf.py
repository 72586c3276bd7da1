"""The certificate PDF: data in, bytes out, no database (a designed page replaces this first cut).

The caller gathers ``CertificateData`` (already translated into the certificate's language) and the
worker stores the bytes and their sha256. ``TEMPLATE_VERSION`` is recorded on each certificate.
"""

import io
import unicodedata
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from core.pdf import BOLD, REGULAR, register_fonts

TEMPLATE_VERSION = "1"


@dataclass(frozen=True)
class CertificateLabels:
    """The page's own words in the certificate's language, translated by the caller."""

    title: str  # "Certificate of completion"
    awarded_to: str  # "This certifies that"
    completed: str  # "has completed the course"
    cohort: str  # "Cohort"
    dates: str  # "Dates"
    hours: str  # "Hours"
    objectives: str  # "Learning objectives covered"
    role: str  # "Role in the exercise"
    verify: str  # "Verify this certificate at"
    code: str  # "Verification code"


@dataclass(frozen=True)
class CertificateData:
    holder_name: str
    issuer: str
    course_title: str
    cohort_name: str
    dates: str  # already formatted in the certificate's language: "12–14 May 2026"
    hours: str  # "18.5"
    objectives: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "Border Guard team (exercise: …)"
    signatories: list[tuple[str, str]] = field(default_factory=list)  # (name, title)
    code: str = ""
    verify_url: str = ""  # the QR code encodes this and nothing else
    language: str = "en"
    labels: CertificateLabels | None = None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def render_certificate(data: CertificateData, *, invariant: bool = False) -> bytes:
    """The PDF of one certificate."""
    register_fonts()
    labels = data.labels
    assert labels is not None, "labels are required"
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), invariant=int(invariant), pageCompression=1)
    canvas.setTitle(_nfc(f"{labels.title}: {data.course_title}"))
    canvas.setFont(BOLD, 28)
    canvas.drawCentredString(width / 2, height - 120, _nfc(labels.title))
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(width / 2, height - 170, _nfc(labels.awarded_to))
    canvas.setFont(BOLD, 22)
    canvas.drawCentredString(width / 2, height - 205, _nfc(data.holder_name))
    canvas.setFont(REGULAR, 12)
    canvas.drawCentredString(width / 2, height - 240, _nfc(f"{labels.completed} {data.course_title}"))
    canvas.drawString(60, 60, _nfc(f"{labels.code}: {data.code}  {data.verify_url}"))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
