"""The certificate PDF: data in, bytes out, no database, settings or translation.

The caller gathers ``CertificateData`` (already translated into the certificate's language, words in
``CertificateLabels``; see ``certificates.content``) and the worker stores the bytes and their sha256.
``TEMPLATE_VERSION`` is recorded on each certificate: bump it when the page changes.

One A4 landscape page: a frame, the issuer, the title, the holder's name (shrunk to fit), the course,
cohort, dates and hours, the objectives and roles (wrapped, capped with "+N more"), up to two signature
lines, the verification code and URL, and a QR code of the URL only. With ``invariant=True`` the bytes
are the same in every run and process (golden test).
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import segno
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from core.pdf import BOLD, REGULAR, SERIF_BOLD, nfc, register_fonts

TEMPLATE_VERSION = "2026.1"


@dataclass(frozen=True)
class CertificateLabels:
    """The page's own words in the certificate's language, translated by the caller."""

    title: str  # "Certificate of completion"
    awarded_to: str  # "This certificate is awarded to"
    completed: str  # "for completing the course"
    cohort: str  # "Cohort"
    dates: str  # "Dates"
    hours: str  # "Hours"
    objectives: str  # "Learning objectives covered"
    role: str  # "Role in the exercise"
    verify: str  # "Verify this certificate at"
    code: str  # "Verification code"
    more: str = "+%(count)d more"  # after the objectives or roles that fit; %(count)d is how many did not


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
    signatories: list[tuple[str, str]] = field(default_factory=list)  # (name, title); the first two are drawn
    code: str = ""
    verify_url: str = ""  # the QR code encodes this and nothing else
    language: str = "en"
    labels: CertificateLabels | None = None


WIDTH, HEIGHT = landscape(A4)
MARGIN = 70.0  # content starts this far from the paper's edge
CONTENT = WIDTH - 2 * MARGIN
NAVY = (0.11, 0.22, 0.36)
GOLD = (0.69, 0.55, 0.30)
GREY = (0.33, 0.35, 0.40)
RULE = (0.80, 0.81, 0.84)
QR_SIZE = 78.0
LIST_LEADING = 11.5


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Words on lines no wider than ``width``; a word longer than a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and stringWidth(word, font, size) > width:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _fit(
    text: str, font: str, size: float, min_size: float, width: float, max_lines: int = 1
) -> tuple[float, list[str]]:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` fits in ``max_lines`` lines.

    On one line the size is exact (widths scale with the size); on more it steps down by half a point.
    If nothing fits, the text is cut at ``min_size`` and ends with an ellipsis.
    """
    one_line = stringWidth(text, font, size)
    if one_line <= width:
        return size, [text]
    if max_lines == 1 and size * width / one_line >= min_size:
        return size * width / one_line, [text]
    step = size
    while step >= min_size:
        lines = _wrap(text, font, step, width)
        if len(lines) <= max_lines:
            return step, lines
        step -= 0.5
    lines = _wrap(text, font, min_size, width)[:max_lines]
    last = lines[-1] if lines else ""
    while last and stringWidth(last + "…", font, min_size) > width:
        last = last[:-1]
    return min_size, [*lines[:-1], last + "…"]


def _one_or_two_lines(
    text: str, font: str, one: tuple[float, float], two: tuple[float, float]
) -> tuple[float, list[str]]:
    """One line across the content, shrunk within ``one`` (largest, smallest size); else two within ``two``."""
    natural = stringWidth(text, font, one[0])
    if natural * one[1] / one[0] <= CONTENT:
        return min(one[0], one[0] * CONTENT / natural) if natural else one[0], [text]
    return _fit(text, font, two[0], two[1], CONTENT, 2)


class _Page:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas

    def text(
        self,
        text: str,
        x: float,
        y: float,
        font: str,
        size: float,
        colour: tuple[float, float, float],
        align: str = "left",
    ) -> None:
        canvas = self.canvas
        canvas.setFillColorRGB(*colour)
        canvas.setFont(font, size)
        if align == "centre":
            canvas.drawCentredString(x, y, text)
        elif align == "right":
            canvas.drawRightString(x, y, text)
        else:
            canvas.drawString(x, y, text)

    def fitted(
        self,
        text: str,
        x: float,
        y: float,
        *,
        font: str,
        size: float,
        min_size: float,
        width: float,
        colour: tuple[float, float, float],
        align: str = "centre",
        max_lines: int = 1,
    ) -> float:
        """Draw ``text`` shrunk (and wrapped up to ``max_lines``) to ``width``; the baseline of its last line."""
        fitted, lines = _fit(text, font, size, min_size, width, max_lines)
        for index, line in enumerate(lines):
            self.text(line, x, y - index * fitted * 1.2, font, fitted, colour, align)
        return y - (len(lines) - 1) * fitted * 1.2

    def frame(self) -> None:
        canvas = self.canvas
        canvas.setStrokeColorRGB(*NAVY)
        canvas.setLineWidth(2.5)
        canvas.rect(18, 18, WIDTH - 36, HEIGHT - 36, stroke=1, fill=0)
        canvas.setStrokeColorRGB(*GOLD)
        canvas.setLineWidth(0.75)
        canvas.rect(26, 26, WIDTH - 52, HEIGHT - 52, stroke=1, fill=0)
        # A small gold diamond in each corner of the inner frame.
        canvas.setFillColorRGB(*GOLD)
        path = canvas.beginPath()
        for cx, cy in ((26, 26), (WIDTH - 26, 26), (26, HEIGHT - 26), (WIDTH - 26, HEIGHT - 26)):
            path.moveTo(cx, cy + 6)
            path.lineTo(cx + 6, cy)
            path.lineTo(cx, cy - 6)
            path.lineTo(cx - 6, cy)
            path.close()
        canvas.drawPath(path, stroke=0, fill=1)

    def rule(self, x1: float, x2: float, y: float, colour: tuple[float, float, float], width: float) -> None:
        self.canvas.setStrokeColorRGB(*colour)
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y, x2, y)

    def listing(
        self, heading: str, items: Sequence[str], more: str, *, x: float, width: float, top: float, bottom: float
    ) -> None:
        """A heading and bulleted items, wrapped; the items that do not fit are counted in ``more``."""
        self.text(heading, x, top, BOLD, 9.5, NAVY)
        y = top - 15
        available = int((y - bottom) // LIST_LEADING) + 1
        placed: list[list[str]] = []
        used = 0
        for index, item in enumerate(items):
            lines = _wrap(item, REGULAR, 9, width - 10)
            reserve = 1 if index < len(items) - 1 else 0
            if used + len(lines) + reserve > available:
                break
            placed.append(lines)
            used += len(lines)
        bullets = self.canvas.beginPath()
        for lines in placed:
            bullets.circle(x + 2.5, y + 3, 1.6)
            for line in lines:
                self.text(line, x + 10, y, REGULAR, 9, GREY)
                y -= LIST_LEADING
        self.canvas.setFillColorRGB(*GOLD)
        self.canvas.drawPath(bullets, stroke=0, fill=1)
        hidden = len(items) - len(placed)
        if hidden:
            self.text(more % {"count": hidden}, x + 10, y, BOLD, 9, GREY)

    def qr(self, url: str, x: float, y: float, size: float) -> None:
        """The QR code of ``url`` as ONE path of rectangles, runs of dark modules merged per row.

        Much faster than reportlab's QrCodeWidget; the paper around it is the quiet zone.
        """
        matrix = segno.make(url, error="m", boost_error=False, micro=False).matrix
        modules = len(matrix)
        module = size / modules
        path = self.canvas.beginPath()
        for row_index, row in enumerate(matrix):
            bottom = y + size - (row_index + 1) * module
            column = 0
            while column < modules:
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < modules and row[column]:
                    column += 1
                path.rect(x + start * module, bottom, (column - start) * module, module)
        self.canvas.setFillColorRGB(0, 0, 0)
        self.canvas.drawPath(path, stroke=0, fill=1)


def render_certificate(data: CertificateData, *, invariant: bool = False) -> bytes:
    """The PDF of one certificate."""
    labels = data.labels
    if labels is None:
        raise ValueError("CertificateData.labels are required")
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(WIDTH, HEIGHT),
        invariant=int(invariant),
        pageCompression=1,
        lang=data.language or None,
        initialFontName=REGULAR,  # else Helvetica, not embedded, is listed among the page's fonts
    )
    # The metadata names the course and the issuer, not the person.
    canvas.setTitle(nfc(f"{labels.title}: {data.course_title}"))
    canvas.setAuthor(nfc(data.issuer))
    canvas.setSubject(nfc(data.course_title))
    canvas.setCreator("Concord")
    page = _Page(canvas)
    centre = WIDTH / 2

    page.frame()
    page.fitted(nfc(data.issuer), centre, 543, font=BOLD, size=12, min_size=7, width=CONTENT, colour=NAVY)
    page.rule(centre - 30, centre + 30, 532, GOLD, 1.2)
    page.fitted(nfc(labels.title), centre, 494, font=SERIF_BOLD, size=30, min_size=14, width=CONTENT, colour=NAVY)
    page.fitted(nfc(labels.awarded_to), centre, 464, font=REGULAR, size=12, min_size=7, width=CONTENT, colour=GREY)

    # The name: one line shrunk down to 18 pt, else two lines down to 10 pt.
    name = nfc(data.holder_name)
    size, lines = _one_or_two_lines(name, SERIF_BOLD, (32, 18), (17, 10))
    top = 428 if len(lines) == 1 else 424 + size * 1.15
    for index, line in enumerate(lines):
        page.text(line, centre, top - index * size * 1.15, SERIF_BOLD, size, NAVY, "centre")
    page.rule(centre - 190, centre + 190, 412, GOLD, 0.9)

    page.fitted(nfc(labels.completed), centre, 394, font=REGULAR, size=11, min_size=7, width=CONTENT, colour=GREY)
    course = nfc(data.course_title)
    size, lines = _one_or_two_lines(course, BOLD, (17, 12), (12, 8))
    top = 370 if len(lines) == 1 else 376
    for index, line in enumerate(lines):
        page.text(line, centre, top - index * size * 1.2, BOLD, size, NAVY, "centre")

    # Cohort, dates and hours in three columns.
    column = 230.0
    for offset, label, value in (
        (-column, labels.cohort, data.cohort_name),
        (0.0, labels.dates, data.dates),
        (column, labels.hours, data.hours),
    ):
        x = centre + offset
        page.fitted(nfc(label), x, 334, font=REGULAR, size=8.5, min_size=6, width=column - 20, colour=GREY)
        page.fitted(nfc(value), x, 319, font=BOLD, size=11, min_size=8, width=column - 20, colour=NAVY, max_lines=2)
    page.rule(MARGIN + 20, WIDTH - MARGIN - 20, 296, RULE, 0.6)

    # Objectives on the left, roles on the right; either takes the whole width when the other is empty.
    objectives = [nfc(item) for item in data.objectives if item.strip()]
    roles = [nfc(item) for item in data.roles if item.strip()]
    more = nfc(labels.more)
    split = MARGIN + CONTENT * 0.6
    if objectives:
        width = (split - MARGIN - 20) if roles else CONTENT
        page.listing(nfc(labels.objectives), objectives, more, x=MARGIN, width=width, top=276, bottom=150)
    if roles:
        x = split if objectives else MARGIN
        page.listing(nfc(labels.role), roles, more, x=x, width=WIDTH - MARGIN - x, top=276, bottom=150)

    # Up to two signature lines, names and titles below.
    for index, (signatory, title) in enumerate(data.signatories[:2]):
        x = MARGIN + index * 230
        page.rule(x, x + 190, 94, GREY, 0.6)
        page.fitted(nfc(signatory), x, 81, font=BOLD, size=9.5, min_size=6, width=190, colour=NAVY, align="left")
        page.fitted(nfc(title), x, 69, font=REGULAR, size=8, min_size=5.5, width=190, colour=GREY, align="left")

    # The verification code and URL, and the QR code of the URL on the right.
    qr_x = WIDTH - MARGIN - QR_SIZE
    right = qr_x - 14
    text_width = right - (MARGIN + 2 * 230 - 20)
    if data.code:
        page.fitted(
            nfc(labels.code),
            right,
            122,
            font=REGULAR,
            size=7.5,
            min_size=5,
            width=text_width,
            colour=GREY,
            align="right",
        )
        page.fitted(
            nfc(data.code), right, 108, font=BOLD, size=11, min_size=7, width=text_width, colour=NAVY, align="right"
        )
    if data.verify_url:
        url = nfc(data.verify_url)
        page.fitted(
            nfc(labels.verify),
            right,
            89,
            font=REGULAR,
            size=7.5,
            min_size=5,
            width=text_width,
            colour=GREY,
            align="right",
        )
        page.fitted(url, right, 78, font=REGULAR, size=7.5, min_size=4.5, width=text_width, colour=GREY, align="right")
        page.qr(url, qr_x, 50, QR_SIZE)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
