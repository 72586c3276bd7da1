"""Reading and writing the spreadsheets people bring: CSV (any common dialect) and XLSX.

One place decides what a good upload is (size, encoding, BOM, delimiter, headers, how many rows,
columns and characters) and how exports are made safe to open in a spreadsheet (formula-looking
cells are neutralised, control characters dropped).

XLSX files are read by a streaming reader of our own rather than openpyxl's loader, which trusts
the sheet (its declared dimension, whole rows, whole shared strings): every zip member's unpacked
size is checked before anything is parsed, and reading stops at the first row, column, cell, cell
length or XML element past a limit.

The readers are ``csv_rows`` and ``xlsx_rows``; ``base`` holds the limits and the parsed table; ``export``
writes. Import what you need from here.
"""

from collections.abc import Collection, Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from core.tabular.base import (
    CSV_CONTENT_TYPE,
    FORMATS,
    MAX_COLUMNS,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    CellError,
    Row,
    Table,
    TabularError,
    _bounded,
    _size,
    _table,
    column_letter,
    normalise_header,
    size_error,
)
from core.tabular.csv_rows import _csv_rows
from core.tabular.export import csv_write, neutralise, table_response, table_write, unneutralise
from core.tabular.xlsx_rows import _xlsx_rows
from core.text import control_characters, excerpt

__all__ = [
    "CSV_CONTENT_TYPE",
    "FORMATS",
    "XLSX_CONTENT_TYPE",
    "CellError",
    "Row",
    "Table",
    "TabularError",
    "column_letter",
    "control_characters",
    "csv_write",
    "neutralise",
    "normalise_header",
    "size_error",
    "table_read",
    "table_response",
    "table_write",
    "unneutralise",
]


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
