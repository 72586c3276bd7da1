"""Reading and writing the spreadsheets people bring: CSV (any common dialect) and XLSX.

One place decides what a good upload is (size, encoding, BOM, delimiter, headers) and how
exports are made safe to open in a spreadsheet (formula-looking cells are neutralised).
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
MAX_ROWS = 5000
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


class TabularError(ApplicationError):
    """The file as a whole cannot be read; nothing in it was used."""


@dataclass(frozen=True)
class Row:
    line: int  # the line or sheet row the person sees in their spreadsheet
    values: dict[str, str]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)


def normalise_header(value: Any) -> str:
    text = str(value or "").strip().lower().lstrip("\ufeff")
    return "_".join(text.replace("-", " ").split())


def table_read(
    *,
    content: bytes,
    filename: str,
    required: Sequence[str] = (),
    max_bytes: int | None = None,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Parse an uploaded CSV or XLSX file into rows keyed by normalised header names."""
    limit = max_bytes if max_bytes is not None else settings.CONCORD_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise TabularError(
            _("The file is %(size)s KB; the limit is %(limit)s KB.")
            % {"size": len(content) // 1024, "limit": limit // 1024}
        )
    if not content.strip():
        raise TabularError(_("The file is empty."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" or content[:4] == b"PK\x03\x04":
        raw_rows = _xlsx_rows(content, max_rows=max_rows)
    elif extension in ("csv", "txt", ""):
        raw_rows = _csv_rows(content, max_rows=max_rows)
    else:
        raise TabularError(_("Upload a .csv or .xlsx file, not .%(extension)s.") % {"extension": extension})
    return _table(raw_rows, required=required, max_rows=max_rows)


def _bounded(rows: Iterator[tuple[int, list[Any]]], *, max_rows: int) -> list[tuple[int, list[Any]]]:
    """Read at most a header and ``max_rows`` rows that are not blank: a huge file is refused early."""
    kept: list[tuple[int, list[Any]]] = []
    for line, values in rows:
        if any(v not in (None, "") for v in values):
            kept.append((line, values))
            if len(kept) > max_rows + 1:
                raise TabularError(_("The file has more than %(limit)s rows.") % {"limit": max_rows})
    return kept


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


def _csv_rows(content: bytes, *, max_rows: int) -> list[tuple[int, list[Any]]]:
    text = _decode(content)
    if "\x00" in text:
        raise TabularError(_("The file looks binary, not like a CSV file."))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        return _bounded(((reader.line_num, row) for row in reader), max_rows=max_rows)
    except csv.Error as exc:
        raise TabularError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _delimiter(text: str) -> str:
    """Pick the delimiter from the header row: spreadsheets in many locales save with ';'."""
    header = text.lstrip().splitlines()[0] if text.strip() else ""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _xlsx_rows(content: bytes, *, max_rows: int) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TabularError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        numbered = ((number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1))
        return _bounded(numbered, max_rows=max_rows)
    finally:
        workbook.close()


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


def _table(raw_rows: list[tuple[int, list[Any]]], *, required: Sequence[str], max_rows: int) -> Table:
    rows = [(line, [_cell_text(v) for v in values]) for line, values in raw_rows]
    rows = [(line, values) for line, values in rows if any(values)]
    if not rows:
        raise TabularError(_("The file has no rows."))
    header_values = rows[0][1]
    headers = [normalise_header(h) for h in header_values]
    missing = [name for name in required if name not in headers]
    if missing:
        raise TabularError(
            _("Missing columns: %(missing)s. The first row must name the columns.") % {"missing": ", ".join(missing)}
        )
    duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicates:
        raise TabularError(_("Columns named twice: %(names)s.") % {"names": ", ".join(duplicates)})
    body = rows[1:]
    table = Table(headers=headers)
    for line, values in body:
        padded = values + [""] * (len(headers) - len(values))
        table.rows.append(Row(line=line, values={h: v for h, v in zip(headers, padded, strict=False) if h}))
    return table


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
    return neutralise(value)


def table_write(*, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """Write rows as CSV (UTF-8 with BOM, so spreadsheet programs pick the encoding) or XLSX."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else _export_value(v) for v in row])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_export_value(v) for v in row])
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        return buffer_bytes.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def table_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> HttpResponse:
    """A download of the rows, named ``filename.<fmt>``."""
    content = table_write(headers=headers, rows=rows, fmt=fmt)
    response = HttpResponse(content, content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
