"""The certificate's own words and dates in its language (a minimal first cut; the designed page's
module replaces it with the same names and signatures).

Call ``certificate_labels()`` inside ``translation.override(language)``.
"""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from certificates.pdf import CertificateLabels

# Languages a certificate can be issued in (their catalogues ship); anyone else gets English.
CERTIFICATE_LANGUAGES = ("en", "pl")
DEFAULT_LANGUAGE = "en"


def certificate_language(preferred: str | None) -> str:
    """The language of a person's certificate: their preferred one if it ships, else English."""
    code = (preferred or "").split("-")[0].lower()
    return code if code in CERTIFICATE_LANGUAGES else DEFAULT_LANGUAGE


def certificate_labels() -> CertificateLabels:
    return CertificateLabels(
        title=_("Certificate of completion"),
        awarded_to=_("This certifies that"),
        completed=_("has completed the course"),
        cohort=_("Cohort"),
        dates=_("Dates"),
        hours=_("Hours"),
        objectives=_("Learning objectives covered"),
        role=_("Role in the exercise"),
        verify=_("Verify this certificate at"),
        code=_("Verification code"),
    )


def certificate_dates(start: dt.date, end: dt.date) -> str:
    """The cohort's dates in the active language: "12 May 2026" or "12 May 2026 – 14 May 2026"."""
    first = formats.date_format(start, "DATE_FORMAT")
    if end == start:
        return first
    return f"{first} – {formats.date_format(end, 'DATE_FORMAT')}"
