"""The certificate's words, in the active language: the only place they live.

Call these inside ``django.utils.translation.override(language)`` with the certificate's language; the
renderer (``certificates.pdf``) draws what they return and translates nothing itself. The catalogues are
in ``locale/<language>/LC_MESSAGES/django.po`` (context "certificate").
"""

import datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import pgettext

from certificates.pdf import CertificateLabels

DEFAULT_LANGUAGE = "en"


def certificate_languages() -> tuple[str, ...]:
    """Languages a certificate can be issued in: every one of ``LANGUAGES`` (DejaVu draws Cyrillic and
    Romanian ș/ț); words a catalogue lacks stay English."""
    return tuple(code for code, _name in settings.LANGUAGES)


def certificate_language(preferred: str | None) -> str:
    """The language of a person's certificate: their preferred one if it is one of ours, else English."""
    code = (preferred or "").split("-")[0].lower()
    return code if code in certificate_languages() else DEFAULT_LANGUAGE


def certificate_labels() -> CertificateLabels:
    """The page's own words in the active language."""
    return CertificateLabels(
        title=pgettext("certificate", "Certificate of completion"),
        awarded_to=pgettext("certificate", "This certificate is awarded to"),
        completed=pgettext("certificate", "for completing the course"),
        cohort=pgettext("certificate", "Cohort"),
        dates=pgettext("certificate", "Dates"),
        hours=pgettext("certificate", "Hours"),
        objectives=pgettext("certificate", "Learning objectives covered"),
        role=pgettext("certificate", "Role in the exercise"),
        verify=pgettext("certificate", "Verify this certificate at"),
        code=pgettext("certificate", "Verification code"),
        # Translators: after the objectives or roles that fit on the page; %(count)d is how many did not.
        more=pgettext("certificate", "+%(count)d more"),
    )


def certificate_dates(start: datetime.date, end: datetime.date | None = None) -> str:
    """A cohort's dates in the active language: "12–14 May 2026", "12–14 maja 2026".

    Month names are Django's own (format character ``E``: the form used with a day, e.g. Polish
    genitive "maja"). The patterns are translatable so a language can reorder or punctuate them.
    """
    # Translators: a full date on a certificate, in Django's date format characters (E: month with a day).
    full = pgettext("certificate date", "j E Y")
    if end is None or end == start:
        return date_format(start, full)
    if (start.year, start.month) == (end.year, end.month):
        # Translators: the first day of a range within one month, e.g. "12" of "12–14 May 2026".
        first = pgettext("certificate date, same month", "j")
        # Translators: a range of days in one month; %(start)s and %(end)s are formatted dates.
        pattern = pgettext("certificate date range, same month", "%(start)s–%(end)s")
    else:
        # Translators: the first day of a range within one year, e.g. "28 May" of "28 May – 2 June 2026".
        first = pgettext("certificate date, same year", "j E") if start.year == end.year else full
        # Translators: a range of dates; %(start)s and %(end)s are formatted dates.
        pattern = pgettext("certificate date range", "%(start)s – %(end)s")
    return pattern % {"start": date_format(start, first), "end": date_format(end, full)}
