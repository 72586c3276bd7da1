"""The CSV delimiter of a person's exports: chosen on an export, remembered for the next one.

Every CSV export calls ``export_delimiter`` with the request's ``delimiter`` parameter and passes
the answer to ``core.tabular.table_response``: a person who once chose ``;`` (Excel in Polish or
German splits CSV files on it) gets it on every export until they choose again. Until they choose,
their language decides: spreadsheets in languages with a decimal comma split CSV files on ``;``.
"""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import ExportDelimiter, User
from core.exceptions import ApplicationError

PARAMETER = "delimiter"
# The parameter's values: names, since ";" would need escaping in a link.
DELIMITERS = {"comma": ExportDelimiter.COMMA, "semicolon": ExportDelimiter.SEMICOLON}
# Languages whose spreadsheets write numbers with a decimal comma, and so split CSV cells on ";".
SEMICOLON_LANGUAGES = frozenset({"pl", "de", "ro", "bg"})


def language_delimiter(language: str | None) -> str:
    """The delimiter a spreadsheet in this language expects."""
    base = (language or "").split("-")[0].lower()
    return str(ExportDelimiter.SEMICOLON if base in SEMICOLON_LANGUAGES else ExportDelimiter.COMMA)


def export_delimiter_choices(*, user: Any) -> list[dict[str, Any]]:
    """The choices for an export form: the parameter's value, its label, and whether it is the person's."""
    current = export_delimiter(user=user)
    return [
        {"value": name, "label": delimiter.label, "selected": delimiter.value == current}
        for name, delimiter in DELIMITERS.items()
    ]


def export_delimiter(*, user: Any, requested: str | None = None) -> str:
    """The delimiter for ``user``'s CSV export.

    ``requested`` (``comma`` or ``semicolon``, or the character itself) is used and remembered as the
    person's choice; without it, their last choice; before any, their language's (``language_delimiter``:
    the language they chose, else the page's). Anything else is refused.
    """
    if not requested:
        chosen = getattr(user, "export_delimiter", "")
        if chosen:
            return str(chosen)
        return language_delimiter(getattr(user, "language", "") or translation.get_language())
    text = requested.strip().lower()
    value = DELIMITERS.get(text) or (text if text in ExportDelimiter.values else None)
    if value is None:
        raise ApplicationError(
            field_errors={
                PARAMETER: [_("Choose the delimiter comma or semicolon, not “%(value)s”.") % {"value": text[:20]}]
            }
        )
    if isinstance(user, User) and user.pk is not None and user.export_delimiter != value:
        user.export_delimiter = value
        user.save(update_fields=["export_delimiter"])
    return str(value)
