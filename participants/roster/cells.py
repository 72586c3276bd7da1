"""Every cell of a roster row checked on its own: addresses and names normalised (``core.text``), agencies
and languages matched, a repeated address found. No database: agencies are given."""

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core.services import country_code_errors
from core.tabular import Table
from core.text import excerpt, normalise_email, normalise_name
from participants.roster.rows import COLUMNS, MAX_LENGTHS, SHOWN_LENGTH, RosterRow

SUGGESTIONS = 3


class AgencyMatcher:
    """Agencies matched by exact name, case-insensitively, or as “Name (CC)” with the country code.

    ``agencies`` are objects with a ``name`` whose ``str()`` is “Name (CC)” (trainings.Agency).
    """

    def __init__(self, agencies: Iterable[Any]) -> None:
        self.by_name: dict[str, list[Any]] = {}
        self.by_label: dict[str, Any] = {}
        for agency in agencies:
            self.by_name.setdefault(agency.name.casefold(), []).append(agency)
            self.by_label[str(agency).casefold()] = agency

    def resolve(self, text: str) -> tuple[Any | None, str]:
        """The agency ``text`` names, or None and why not."""
        key = text.casefold()
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0], ""
        if key in self.by_label:
            return self.by_label[key], ""
        if named:
            choices = ", ".join(f"“{agency}”" for agency in named)
            return None, _("Several agencies are called “%(name)s”: write one of %(choices)s.") % {
                "name": excerpt(text),
                "choices": choices,
            }
        message = _("Unknown agency “%(name)s”.") % {"name": excerpt(text)}
        close = self.close_matches(text)
        if close:
            message += " " + _("Did you mean %(choices)s?") % {"choices": ", ".join(f"“{label}”" for label in close)}
        return None, message + " " + _(
            "Otherwise a coordinator adds the agency first (Admin → Agencies, or POST /api/v1/agencies/); "
            "then upload the file again."
        )

    def close_matches(self, text: str, limit: int = SUGGESTIONS) -> list[str]:
        """Labels (“Name (CC)”) of agencies whose name contains ``text`` (or the reverse), then of those whose
        name reads like it (difflib), best first."""
        key = text.casefold()
        agencies = list(self.by_label.values())
        containing = sorted(
            (agency for agency in agencies if key in agency.name.casefold() or agency.name.casefold() in key),
            key=lambda agency: len(agency.name),
        )
        similar = [
            agency
            for name in difflib.get_close_matches(key, list(self.by_name), n=limit, cutoff=0.6)
            for agency in self.by_name[name]
        ]
        return list(dict.fromkeys(str(agency) for agency in [*containing, *similar]))[:limit]


def language_codes() -> dict[str, str]:
    """Language codes, and their names in English and in the current language, to codes."""
    known: dict[str, str] = {}
    for code, label in settings.LANGUAGES:
        known[code.casefold()] = code
        known[str(label).casefold()] = code
        with translation.override("en"):
            known[str(label).casefold()] = code
    return known


def _email(row: RosterRow, text: str) -> None:
    if not text:
        row.error("email", _("The email address is missing."))
        return
    if len(text) > MAX_LENGTHS["email"]:
        row.error("email", _too_long("email"))
        return
    try:
        # Accounts store addresses in lower case (accounts.services.user_email_normalise does the same).
        row.email = normalise_email(text).lower()
    except ValidationError as exc:
        if any(error.code == "hidden_characters" for error in exc.error_list):
            row.error("email", _("“%(email)s”: %(problem)s") % {"email": excerpt(text), "problem": exc.messages[0]})
        else:
            row.error("email", _("“%(email)s” is not a valid email address.") % {"email": excerpt(text)})


def _too_long(key: str) -> str:
    return _("%(column)s is longer than %(limit)d characters.") % {"column": key, "limit": MAX_LENGTHS[key]}


def _text(row: RosterRow, key: str, text: str) -> str:
    """A one-line text cell as stored (``normalise_name``), or "" with the row's error."""
    try:
        value = normalise_name(text)
    except ValidationError as exc:
        row.error(key, _("“%(value)s”: %(problem)s") % {"value": excerpt(text), "problem": exc.messages[0]})
        return ""
    if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
        row.error(key, _too_long(key))
        return ""
    return value


def _check_cells(
    row: RosterRow, values: Mapping[str, str], *, agencies: AgencyMatcher, languages: Mapping[str, str]
) -> None:
    """Field-by-field checks of one row (cells already refused by the reader are skipped), and its profile."""
    if "email" not in row.errors:
        _email(row, values.get("email", ""))
    for key in ("first_name", "last_name", "position"):
        if values.get(key) and key not in row.errors:
            value = _text(row, key, values[key])
            if value:
                row.profile[key] = value
    agency_text = values.get("agency", "")
    if agency_text and "agency" not in row.errors:
        name = _text(row, "agency", agency_text)
        if name:
            agency, problem = agencies.resolve(name)
            if problem:
                row.error("agency", problem)
            else:
                row.profile["agency"] = agency
    country = values.get("country", "")
    if country and "country" not in row.errors:
        problems = country_code_errors(country=country)
        if problems:
            row.error(
                "country",
                _("“%(country)s”: %(problem)s") % {"country": excerpt(country), "problem": problems["country"][0]},
            )
        else:
            row.profile["country"] = country.upper()
    language = values.get("preferred_language", "")
    if language and "preferred_language" not in row.errors:
        code = languages.get(language.casefold())
        if code is None:
            codes = ", ".join(code for code, _label in settings.LANGUAGES)
            row.error(
                "preferred_language",
                _("Unknown language “%(language)s”. Use one of %(codes)s.")
                % {"language": excerpt(language), "codes": codes},
            )
        else:
            row.profile["preferred_language"] = code


def roster_rows_read(
    *, table: Table, agencies: Iterable[Any], languages: Mapping[str, str] | None = None
) -> list[RosterRow]:
    """Every row of ``table`` checked on its own: cells, normalised values, and a repeated address.

    Cells the reader refused (control characters, ``Row.errors``) are reported as they are.
    """
    matcher = AgencyMatcher(agencies)
    languages = language_codes() if languages is None else languages
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    for raw in table.rows:
        values = {key: raw.get(key).strip() for key in COLUMNS}
        row = RosterRow(line=raw.line, cells={key: excerpt(value, SHOWN_LENGTH) for key, value in values.items()})
        for key, message in raw.errors.items():
            if key in COLUMNS:  # other columns are ignored, their cells too
                row.error(key, message)
        _check_cells(row, values, agencies=matcher, languages=languages)
        if row.email and row.email in first_line:
            row.error(
                "email", _("The same email address is already on line %(line)d.") % {"line": first_line[row.email]}
            )
        first_line.setdefault(row.email, row.line)
        rows.append(row)
    return rows


def ignored_columns(headers: Iterable[str]) -> list[str]:
    return [name for name in headers if name and name not in COLUMNS]


def roster_emails(rows: Iterable[RosterRow]) -> set[str]:
    return {row.email for row in rows if row.email}
