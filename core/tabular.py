"""Reading and writing the spreadsheets people bring: CSV (any common dialect) and XLSX.

One place decides what a good upload is (size, encoding, BOM, delimiter, headers, how many rows,
columns and characters) and how exports are made safe to open in a spreadsheet (formula-looking
cells are neutralised, control characters dropped).

XLSX files are read by a streaming reader of our own rather than openpyxl's loader, which trusts
the sheet (its declared dimension, whole rows, whole shared strings): every zip member's unpacked
size is checked before anything is parsed, and reading stops at the first row, column, cell, cell
length or XML element past a limit.
"""

import csv
import datetime as dt
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn
from xml.parsers import expat

from django.conf import settings
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exceptions import ApplicationError
from core.text import character_names, control_characters, excerpt, strip_control_characters

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


def table_read(
    *,
    content: bytes,
    filename: str,
    required: Sequence[str] = (),
    max_bytes: int | None = None,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    multiline: Collection[str] = (),
    size: int | None = None,
) -> Table:
    """Parse an uploaded CSV or XLSX file into rows keyed by normalised header names.

    Cells with control characters are kept and listed in ``Row.errors``; tab and line breaks are
    allowed in the ``multiline`` columns. ``size`` is the upload's real size, for callers that
    read only one byte past the limit.
    """
    limit = max_bytes if max_bytes is not None else settings.CONCORD_MAX_UPLOAD_BYTES
    if size is None and len(content) == limit + 1:
        # Likely cut there by the caller: the real size is unknown, only that it is too much.
        raise TabularError(_("The file is larger than %(limit)s, the limit.") % {"limit": _size(limit, 1)})
    if max(len(content), size or 0) > limit:
        raise TabularError(size_error(size=max(len(content), size or 0), limit=limit))
    if not content.strip():
        raise TabularError(_("The file is empty."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" or content[:4] == b"PK\x03\x04":
        raw_rows = _xlsx_rows(content, max_columns=max_columns)
    elif extension in ("csv", "txt", ""):
        raw_rows = _csv_rows(content, max_columns=max_columns)
    else:
        raise TabularError(
            _("Upload a .csv or .xlsx file, not .%(extension)s.") % {"extension": excerpt(extension, 20)}
        )
    return _table(_bounded(raw_rows, max_rows=max_rows), required=required, multiline=multiline)


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


# --- CSV ---------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TabularError(
                _("The file starts like UTF-16 text but is not (a problem near byte %(position)s).")
                % {"position": exc.start}
            ) from exc
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError(
            _("The file is not UTF-8 text (a problem near byte %(position)s). Save it as “CSV UTF-8” and try again.")
            % {"position": exc.start}
        ) from exc


class _Lines:
    """The text's lines for ``csv.reader``, keeping those of the record being read."""

    def __init__(self, text: str) -> None:
        self.stream = io.StringIO(text, newline="")
        self.record: list[str] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self.stream)
        self.record.append(line)
        return line


def _csv_rows(content: bytes, *, max_columns: int) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(content)
    if "\x00" in text:
        raise TabularError(_("The file looks binary, not like a CSV file."))
    delimiter = _delimiter(text)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        # line_num is where a record ends: a record with a line break in a cell starts before it.
        line = reader.line_num + 1
        lines.record.clear()
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                column = _csv_long_field("".join(lines.record), delimiter=delimiter, limit=MAX_CELL_CHARS)
                raise _CellProblem(line, column, _too_long()) from None
            raise TabularError(
                _("The CSV file is malformed at line %(line)s: %(error)s") % {"line": line, "error": exc}
            ) from exc
        _check_cells(line, values, max_columns=max_columns)
        yield line, values


def _csv_long_field(record: str, *, delimiter: str, limit: int) -> int:
    """The column (1 for A) of the first field longer than ``limit`` in the text of a CSV record."""
    column, length, quoted, position = 1, 0, False, 0
    while position < len(record):
        char = record[position]
        if quoted and char == '"':
            if record.startswith('""', position):
                length, position = length + 1, position + 2
                continue
            quoted = False
        elif not quoted and char == '"' and length == 0:
            quoted = True
        elif not quoted and char == delimiter:
            column, length = column + 1, 0
        else:
            length += 1
            if length > limit:
                return column
        position += 1
    return column


def _check_cells(line: int, values: Sequence[Any], *, max_columns: int) -> None:
    for column, value in enumerate(values, start=1):
        if value in (None, ""):
            continue
        if column > max_columns:
            raise _CellProblem(line, column, _too_far(max_columns))
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _CellProblem(line, column, _too_long())


def _delimiter(text: str) -> str:
    """Pick the delimiter from the header row: spreadsheets in many locales save with ';'."""
    header = text.lstrip().splitlines()[0] if text.strip() else ""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# --- XLSX --------------------------------------------------------------------------------------


class _XmlRefused(Exception):
    """The XML declares a DTD or entities: never expanded, the workbook is refused."""


def _xlsx_rows(content: bytes, *, max_columns: int) -> Iterator[tuple[int, list[Any]]]:
    """The first worksheet's rows, as (row number, values from column A), streamed."""
    unreadable = _("The file is not a readable .xlsx workbook.")
    try:
        archive = _xlsx_archive(content)
        budget = _Budget()
        workbook = _xlsx_workbook(archive, budget)
        strings = _SharedStrings()
        if workbook.strings:
            _xml_parse_all(archive, workbook.strings, strings, budget)
        styles = _Styles()
        if workbook.styles:
            _xml_parse_all(archive, workbook.styles, styles, budget)
        sheet = _SheetHandler(
            strings=strings.values,
            dates=styles.dates(),
            epoch=workbook.epoch,
            max_columns=max_columns,
            budget=budget,
        )
        try:
            for _chunk in _xml_parse(archive, workbook.sheet, sheet, budget):
                rows, sheet.rows = sheet.rows, []
                yield from rows
        except _CellProblem:
            yield from sheet.rows  # the rows before it, so that the header can name the column
            raise
    except _XmlRefused as exc:
        raise TabularError(_("The file is not a readable .xlsx workbook: its XML declares a DTD or entities.")) from exc
    except (
        expat.ExpatError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        KeyError,
        IndexError,
        LookupError,  # an unknown encoding in an XML declaration
        ValueError,
        OSError,
        EOFError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # an unknown compression method
    ) as exc:
        raise TabularError(unreadable) from exc


def _xlsx_archive(content: bytes) -> zipfile.ZipFile:
    """The workbook's zip, once every member's unpacked size is within the limits."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    members = archive.infolist()
    if len(members) > XLSX_MAX_MEMBERS:
        raise TabularError(
            _("The workbook has more than %(limit)s parts; it is not one a spreadsheet program saved.")
            % {"limit": XLSX_MAX_MEMBERS}
        )
    total = 0
    for member in members:
        # Only deflate's output is read in bounded steps; XLSX files use nothing else.
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TabularError(_("The file is not a readable .xlsx workbook."))
        total += member.file_size
        if member.file_size > XLSX_MAX_MEMBER_BYTES or total > XLSX_MAX_TOTAL_BYTES:
            size, limit = (
                (member.file_size, XLSX_MAX_MEMBER_BYTES)
                if member.file_size > XLSX_MAX_MEMBER_BYTES
                else (total, XLSX_MAX_TOTAL_BYTES)
            )
            size_shown, limit_shown = size_text(size, limit)
            raise TabularError(
                _("The workbook unpacks to %(size)s or more; the limit is %(limit)s. Remove what is not needed.")
                % {"size": size_shown, "limit": limit_shown}
            )
    return archive


class _Budget:
    """XML elements parsed so far, in all parts of one workbook."""

    def __init__(self) -> None:
        self.elements = 0

    def spend(self) -> None:
        self.elements += 1
        if self.elements > XLSX_MAX_ELEMENTS:
            raise TabularError(
                _("The workbook is too complex to read (more than %(limit)s XML elements).")
                % {"limit": number_format(XLSX_MAX_ELEMENTS, force_grouping=True)}
            )


class _Part:
    """Handles one XML part's events; names arrive as “namespace local” and only local names count."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


def _refuse(*args: Any) -> NoReturn:
    raise _XmlRefused


def _xml_parse(archive: zipfile.ZipFile, name: str, part: _Part, budget: _Budget) -> Iterator[None]:
    """Feed a zip member to ``part`` in chunks, yielding after each one.

    Expat with the guards defusedxml sets, and stricter: any DTD is refused, so no entity is ever declared.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True  # one call per run of text, not one per line
    parser.buffer_size = _CHUNK
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse

    def start(name: str, attrs: dict[str, str]) -> None:
        budget.spend()
        part.start(name.rpartition(" ")[2], attrs)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: part.end(name.rpartition(" ")[2])
    parser.CharacterDataHandler = part.text
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)


def _xml_parse_all(archive: zipfile.ZipFile, name: str, part: _Part, budget: _Budget) -> None:
    for _chunk in _xml_parse(archive, name, part, budget):
        pass


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by local name, with or without a namespace (r:id arrives as “... id”)."""
    if local in attrs:
        return attrs[local]
    return next((value for key, value in attrs.items() if key.rpartition(" ")[2] == local), None)


class _Relationships(_Part):
    def __init__(self) -> None:
        self.targets: dict[str, tuple[str, str]] = {}  # id -> (type, target)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and attrs.get("TargetMode") != "External":
            self.targets[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))


class _WorkbookPart(_Part):
    def __init__(self) -> None:
        self.sheet_ids: list[str] = []
        self.date1904 = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet":
            self.sheet_ids.append(_attr(attrs, "id") or "")
        elif tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")


@dataclass
class _Workbook:
    sheet: str
    strings: str | None
    styles: str | None
    epoch: dt.datetime


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(folder: str, target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path)


def _relationships(archive: zipfile.ZipFile, path: str, budget: _Budget) -> _Relationships:
    rels = _Relationships()
    if path in archive.NameToInfo:
        _xml_parse_all(archive, path, rels, budget)
    return rels


def _xlsx_workbook(archive: zipfile.ZipFile, budget: _Budget) -> _Workbook:
    """Where the first worksheet, the shared strings and the styles are, and the date system."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    package = _relationships(archive, "_rels/.rels", budget)
    workbook_path = next(
        (_resolve("", target) for kind, target in package.targets.values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    workbook = _WorkbookPart()
    _xml_parse_all(archive, workbook_path, workbook, budget)
    rels = _relationships(archive, _rels_path(workbook_path), budget)
    folder = posixpath.dirname(workbook_path)

    def target(kind: str) -> str | None:
        return next((_resolve(folder, t) for k, t in rels.targets.values() if k.endswith(kind)), None)

    sheets = [
        _resolve(folder, rels.targets[sheet_id][1])
        for sheet_id in workbook.sheet_ids
        if sheet_id in rels.targets and rels.targets[sheet_id][0].endswith("/worksheet")
    ]
    if not sheets:
        raise TabularError(_("The workbook has no worksheet."))
    return _Workbook(
        sheet=sheets[0],
        strings=target("/sharedStrings"),
        styles=target("/styles"),
        epoch=CALENDAR_MAC_1904 if workbook.date1904 else CALENDAR_WINDOWS_1900,
    )


class _TooLong:
    """A shared string past the cell length limit: only refused if a cell of the sheet uses it."""


_TOO_LONG = _TooLong()


class _SharedStrings(_Part):
    def __init__(self) -> None:
        self.values: list[str | _TooLong] = []
        self._buffer: list[str] = []
        self._length = 0
        self._collecting = False
        self._phonetic = 0  # inside <rPh>: reading hints, not the cell's text

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            self._buffer, self._length = [], 0
        elif tag == "t" and not self._phonetic:
            self._collecting = True
        elif tag == "rPh":
            self._phonetic += 1

    def end(self, tag: str) -> None:
        if tag == "t":
            self._collecting = False
        elif tag == "rPh":
            self._phonetic -= 1
        elif tag == "si":
            too_long = self._length > MAX_CELL_CHARS
            self.values.append(_TOO_LONG if too_long else "".join(self._buffer))
            self._buffer = []
            if len(self.values) > XLSX_MAX_STRINGS:
                raise TabularError(
                    _("The workbook has more than %(limit)s different texts.")
                    % {"limit": number_format(XLSX_MAX_STRINGS, force_grouping=True)}
                )

    def text(self, data: str) -> None:
        if self._collecting and self._length <= MAX_CELL_CHARS:
            self._length += len(data)
            self._buffer.append(data)
            if self._length > MAX_CELL_CHARS:
                self._buffer = []  # dropped as it streams: a huge string is never held


class _Styles(_Part):
    """Which cell styles show numbers as dates or durations (openpyxl's rule)."""

    def __init__(self) -> None:
        self.formats: list[int] = []
        self.custom: dict[int, str] = {}
        self._in_cell_formats = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "cellXfs":
            self._in_cell_formats = True
        elif tag == "xf" and self._in_cell_formats and len(self.formats) < 65536:
            self.formats.append(int(attrs.get("numFmtId", "0")))
        elif tag == "numFmt":
            self.custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")

    def end(self, tag: str) -> None:
        if tag == "cellXfs":
            self._in_cell_formats = False

    def dates(self) -> dict[int, bool]:
        """Style index -> whether its numbers are durations (else datetimes)."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        found = {}
        for index, format_id in enumerate(self.formats):
            code = self.custom.get(format_id) or BUILTIN_FORMATS.get(format_id)
            if is_date_format(code):
                found[index] = is_timedelta_format(code)
        return found


_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]*)")


class _SheetHandler(_Part):
    """Streams a worksheet's rows; stops at the first cell past a limit. Dimensions are never read."""

    def __init__(
        self,
        *,
        strings: Sequence[str | _TooLong],
        dates: dict[int, bool],
        epoch: dt.datetime,
        max_columns: int,
        budget: _Budget,
    ) -> None:
        self.strings, self.dates, self.epoch, self.max_columns = strings, dates, epoch, max_columns
        self.rows: list[tuple[int, list[Any]]] = []  # finished rows, taken by the reader after each chunk
        self.rows_scanned = 0
        self.cells_scanned = 0
        self._line = 0
        self._column = 0
        self._cells: dict[int, Any] = {}
        self._type = "n"
        self._style = 0
        self._buffer: list[str] = []
        self._length = 0
        self._collecting = False
        self._phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            self.cells_scanned += 1
            if self.cells_scanned > XLSX_MAX_CELLS:
                raise TabularError(
                    _("The sheet has more than %(limit)s cells, empty ones included.")
                    % {"limit": number_format(XLSX_MAX_CELLS, force_grouping=True)}
                )
            reference = attrs.get("r")
            self._column = _column_number(reference) if reference else self._column + 1
            self._type = attrs.get("t", "n")
            self._style = int(attrs.get("s", "0") or 0)
            self._buffer, self._length = [], 0
        elif tag == "row":
            number = attrs.get("r", "")
            self._line = int(number) if number.isascii() and number.isdigit() else self._line + 1
            self._column, self._cells = 0, {}
        elif tag == "v":
            self._collecting = self._type != "inlineStr"
        elif tag == "t":
            self._collecting = self._type == "inlineStr" and not self._phonetic
        elif tag == "rPh":
            self._phonetic += 1

    def end(self, tag: str) -> None:
        if tag == "c":
            value = self._value("".join(self._buffer))
            self._buffer = []
            if value not in (None, ""):
                if self._column > self.max_columns:
                    raise _CellProblem(self._line, self._column, _too_far(self.max_columns))
                self._cells[self._column] = value
        elif tag == "row":
            width = max(self._cells, default=0)
            self.rows.append((self._line, [self._cells.get(column) for column in range(1, width + 1)]))
            self.rows_scanned += 1
            self._cells = {}
        elif tag in ("v", "t"):
            self._collecting = False
        elif tag == "rPh":
            self._phonetic -= 1

    def text(self, data: str) -> None:
        if self._collecting:
            self._length += len(data)
            if self._length > MAX_CELL_CHARS:
                raise _CellProblem(self._line, self._column, _too_long())
            self._buffer.append(data)

    def _value(self, text: str) -> Any:
        kind = self._type
        if kind in ("inlineStr", "str", "e"):
            return text
        if not text:
            return None
        if kind == "s":
            if not text.isascii() or not text.isdigit():
                raise ValueError("bad shared string index")
            value = self.strings[int(text)]
            if isinstance(value, _TooLong):
                raise _CellProblem(self._line, self._column, _too_long())
            return value
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return from_ISO8601(text)
            except ValueError:
                return text
        # Numbers: ASCII digits only (int() and float() would take “1_0” and “٥”).
        if not _NUMBER.fullmatch(text):
            return text
        number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        if self._style in self.dates:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, self.epoch, timedelta=self.dates[self._style])
            except (OverflowError, ValueError):
                return number
        return number


def _column_number(reference: str) -> int:
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        raise ValueError(f"bad cell reference {excerpt(reference, 20)!r}")
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


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


# --- exports -----------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """Make a cell safe to open in a spreadsheet: text that looks like a formula is prefixed with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo ``neutralise`` on a cell read back from one of our exports: drop the ' before formula-looking text."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_PREFIXES):
        return value[1:]
    return value


def _export_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        # Control characters first: what is left may start like a formula.
        return neutralise(strip_control_characters(value))
    return value


def table_write(*, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, delimiter: str = ",") -> bytes:
    """Write rows as CSV (UTF-8 with BOM, so spreadsheet programs pick the encoding) or XLSX.

    ``delimiter`` separates CSV cells (people choose it per export; Excel in some locales wants ``;``).

    Control characters other than tab and line breaks are dropped (openpyxl refuses them, and a
    terminal or spreadsheet would act on them).
    """
    header_row = [_export_value(h) for h in headers]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(header_row)
        for row in rows:
            writer.writerow(["" if v is None else _export_value(v) for v in row])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header_row)
        for row in rows:
            sheet.append([_export_value(v) for v in row])
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        return buffer_bytes.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def table_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, delimiter: str = ","
) -> HttpResponse:
    """A download of the rows, named ``filename.<fmt>``; ``delimiter`` separates CSV cells."""
    content = table_write(headers=headers, rows=rows, fmt=fmt, delimiter=delimiter)
    response = HttpResponse(content, content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
