"""XLSX uploads, read by a streaming reader of our own: every zip member's unpacked size is checked before
anything is parsed, and reading stops at the first row, column, cell, cell length or XML element past a limit."""

import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.tabular.base import (
    _CHUNK,
    MAX_CELL_CHARS,
    XLSX_MAX_CELLS,
    XLSX_MAX_ELEMENTS,
    XLSX_MAX_MEMBER_BYTES,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_STRINGS,
    XLSX_MAX_TOTAL_BYTES,
    TabularError,
    _CellProblem,
    _too_far,
    _too_long,
    size_text,
)
from core.text import excerpt

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
