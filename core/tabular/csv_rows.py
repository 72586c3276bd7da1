"""CSV uploads: any common dialect, encoding and delimiter, read record by record within the limits."""

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from core.tabular.base import MAX_CELL_CHARS, TabularError, _CellProblem, _too_far, _too_long

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
