"""What a good upload is: the limits, the parsed table and its errors, shared by both readers."""

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exceptions import ApplicationError
from core.text import character_names, control_characters, excerpt

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
MAX_ROWS = 5000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# Blank rows are skipped, but only so many: a sheet of a million empty rows is refused, not scanned.
MAX_BLANK_ROWS = 10_000
# An XLSX is a zip: what it may unpack to, member by member and in all.
XLSX_MAX_MEMBER_BYTES = 50 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 100 * 1024 * 1024
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_CELLS = 600_000  # cells looked at, empty ones included: more than the largest file accepted
XLSX_MAX_ELEMENTS = 3_000_000  # XML elements parsed, in all parts
XLSX_MAX_STRINGS = 1_000_000  # entries in the shared string table
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_CHUNK = 64 * 1024
_HEADER_ALIASES = {"e_mail": "email"}
_HEADER_SEPARATORS = re.compile("[\\s_\\-\u2010-\u2015\u2212]+")


class TabularError(ApplicationError):
    """The file as a whole cannot be read; nothing in it was used."""


@dataclass(frozen=True)
class Row:
    line: int  # the line or sheet row the person sees in their spreadsheet
    values: dict[str, str]
    # Cells the reader refuses (control characters), by column; importers report them with their own.
    errors: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@dataclass(frozen=True)
class CellError:
    line: int
    column: str
    message: str


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def errors(self) -> list[CellError]:
        """Every refused cell, in file order."""
        return [CellError(row.line, column, message) for row in self.rows for column, message in row.errors.items()]

    def as_json(self) -> dict[str, Any]:
        """The parsed table as JSON, so that a stored upload is parsed once (``Table.from_json``)."""
        return {
            "headers": self.headers,
            "rows": [{"line": row.line, "values": row.values, "errors": row.errors} for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Table":
        return cls(
            headers=list(data["headers"]),
            rows=[
                Row(line=row["line"], values=dict(row["values"]), errors=dict(row["errors"])) for row in data["rows"]
            ],
        )


def normalise_header(value: Any) -> str:
    """A header as a key: case, width, spaces, dashes and underscores do not matter (“First name” is first_name)."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower().lstrip("\ufeff")
    key = "_".join(_HEADER_SEPARATORS.sub(" ", text).split())
    return _HEADER_ALIASES.get(key, key)


def size_text(size: int, limit: int) -> tuple[str, str]:
    """Two sizes for a message, as precise as it takes for them to read differently."""
    for decimals in (1, 2, 3):
        texts = (_size(size, decimals), _size(limit, decimals))
        if texts[0] != texts[1] or size == limit:
            return texts
    return _bytes(size), _bytes(limit)


def _size(value: int, decimals: int) -> str:
    if value < 1024:
        return _bytes(value)
    if value < 1024 * 1024:
        return _("%(size)s KB") % {"size": number_format(round(value / 1024, decimals), decimal_pos=decimals)}
    return _("%(size)s MB") % {"size": number_format(round(value / 1024 / 1024, decimals), decimal_pos=decimals)}


def _bytes(value: int) -> str:
    return ngettext("%(size)s byte", "%(size)s bytes", value) % {"size": number_format(value, force_grouping=True)}


def size_error(*, size: int, limit: int) -> str:
    """The message for a file over the size limit."""
    size_shown, limit_shown = size_text(size, limit)
    return _("The file is %(size)s; the limit is %(limit)s.") % {"size": size_shown, "limit": limit_shown}


# --- limits shared by both formats -------------------------------------------------------------


class _CellProblem(Exception):
    """A cell past a limit: ``_bounded`` names it, with its column's header once that is known."""

    def __init__(self, line: int, column: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.column, self.problem = line, column, problem  # column: 1 for A


def _too_long() -> str:
    return _("the cell is longer than %(limit)s characters.") % {
        "limit": number_format(MAX_CELL_CHARS, force_grouping=True)
    }


def _too_far(max_columns: int) -> str:
    return _("the file has more than %(limit)s columns.") % {"limit": max_columns}


def column_letter(number: int) -> str:
    """1 is A, 27 is AA: how a spreadsheet names the column."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_name(line: int, column: int, header: Any = None) -> str:
    name = _("line %(line)s, column %(column)s") % {"line": line, "column": column_letter(column)}
    header_text = _cell_text(header)
    if header_text:
        name = _("%(cell)s (“%(header)s”)") % {"cell": name, "header": excerpt(header_text, 40)}
    return name


def _sentence(where: str, problem: str) -> str:
    return _("%(where)s: %(problem)s") % {"where": where[:1].upper() + where[1:], "problem": problem}


def _bounded(rows: Iterator[tuple[int, list[Any]]], *, max_rows: int) -> list[tuple[int, list[Any]]]:
    """Read at most a header and ``max_rows`` rows that are not blank, and ``MAX_BLANK_ROWS`` blank
    ones besides: a huge file is refused early."""
    kept: list[tuple[int, list[Any]]] = []
    scanned = 0
    try:
        for line, values in rows:
            scanned += 1
            if any(v not in (None, "") for v in values):
                kept.append((line, values))
                if len(kept) > max_rows + 1:
                    raise TabularError(_("The file has more than %(limit)s rows.") % {"limit": max_rows})
            elif scanned - len(kept) > MAX_BLANK_ROWS:
                raise TabularError(
                    _("The file has more than %(limit)s empty rows; delete them and try again.")
                    % {"limit": number_format(MAX_BLANK_ROWS, force_grouping=True)}
                )
    except _CellProblem as problem:
        headers = kept[0][1] if kept and kept[0][0] != problem.line else []
        header = headers[problem.column - 1] if problem.column <= len(headers) else None
        raise TabularError(_sentence(_cell_name(problem.line, problem.column, header), problem.problem)) from None
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # a generator left half-read closes its zip member now
    return kept


# --- rows into a table -------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _control_error(characters: list[str]) -> str:
    return _("The cell contains control characters (%(characters)s); remove them.") % {
        "characters": character_names(characters)
    }


def _table(raw_rows: list[tuple[int, list[Any]]], *, required: Sequence[str], multiline: Collection[str] = ()) -> Table:
    rows = [(line, [_cell_text(v) for v in values]) for line, values in raw_rows]
    rows = [(line, values) for line, values in rows if any(values)]
    if not rows:
        raise TabularError(_("The file has no rows."))
    header_line, header_values = rows[0]
    for column, value in enumerate(header_values, start=1):
        found = control_characters(value)
        if found:
            raise TabularError(_sentence(_cell_name(header_line, column), _control_error(found)))
    headers = [normalise_header(h) for h in header_values]
    missing = [name for name in required if name not in headers]
    if missing:
        raise TabularError(
            _("Missing columns: %(missing)s. The first row must name the columns.") % {"missing": ", ".join(missing)}
        )
    duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicates:
        raise TabularError(
            _("Columns named twice: %(names)s.") % {"names": ", ".join(excerpt(h, 40) for h in duplicates)}
        )
    body = rows[1:]
    table = Table(headers=headers)
    for line, values in body:
        padded = values + [""] * (len(headers) - len(values))
        cells = {h: v for h, v in zip(headers, padded, strict=False) if h}
        errors = {}
        for key, value in cells.items():
            found = control_characters(value, multiline=key in multiline)
            if found:
                errors[key] = _control_error(found)
        table.rows.append(Row(line=line, values=cells, errors=errors))
    return table
