"""Exports safe to open in a spreadsheet: formula-looking cells neutralised, control characters dropped."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from django.http import HttpResponse

from core.tabular.base import _FORMULA_PREFIXES, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.text import strip_control_characters

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
        csv_write(stream=buffer, headers=headers, rows=rows, delimiter=delimiter)
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


def csv_write(*, stream: TextIO, headers: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ",") -> int:
    """Write rows as CSV into ``stream`` one at a time (a large export never sits in memory): how many rows.

    The cells are made safe as in ``table_write``; the caller chooses the stream's encoding.
    """
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerow([_export_value(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else _export_value(v) for v in row])
        count += 1
    return count


def table_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, delimiter: str = ","
) -> HttpResponse:
    """A download of the rows, named ``filename.<fmt>``; ``delimiter`` separates CSV cells."""
    content = table_write(headers=headers, rows=rows, fmt=fmt, delimiter=delimiter)
    response = HttpResponse(content, content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
