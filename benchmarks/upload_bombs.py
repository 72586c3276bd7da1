"""Time and peak memory of ``core.tabular.table_read`` on upload bombs, against a normal 5,000-row file.

Each bomb is a small file that unpacks or expands to something huge; it must be refused (or read)
in about the time and memory of the baseline. Time is the median of several runs; peak memory is
what tracemalloc saw the Python heap grow by during one more run (tracemalloc slows the code, so it
is measured apart). No database is needed. Run:
`.venv/bin/python benchmarks/upload_bombs.py [--runs N]`.
"""

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
ROWS = 5000


def _xlsx(sheet: Callable[[io.BufferedIOBase], None], strings: Callable[[io.BufferedIOBase], None] | None) -> bytes:
    """A minimal workbook whose sheet (and shared strings) are streamed into the zip, never held whole."""
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if strings is not None:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            sheet(member)
        if strings is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
                strings(member)
    return buffer.getvalue()


def _sheet_of(rows: Callable[[io.BufferedIOBase], None], head: str = "") -> Callable[[io.BufferedIOBase], None]:
    def write(out: io.BufferedIOBase) -> None:
        out.write(f'<worksheet xmlns="{MAIN}">{head}<sheetData>'.encode())
        out.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>')
        rows(out)
        out.write(b"</sheetData></worksheet>")

    return write


def baseline_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["email", "first_name", "last_name", "agency", "position", "country", "preferred_language"])
    for n in range(ROWS):
        sheet.append([f"p{n:05}@example.org", f"First{n}", f"Last{n}", "Border Guard", "Officer", "PL", "pl"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def largest_accepted() -> bytes:
    """5,000 rows of 100 columns: the most a file may hold, and so what a bomb may cost at most."""

    def rows(out: io.BufferedIOBase) -> None:
        from core.tabular import column_letter

        letters = [column_letter(n) for n in range(1, 101)]
        for line in range(2, ROWS + 2):
            out.write(
                f'<row r="{line}">'.encode()
                + "".join(f'<c r="{c}{line}" t="inlineStr"><is><t>x{line}</t></is></c>' for c in letters).encode()
                + b"</row>"
            )

    return _xlsx(_sheet_of(rows), None)


def baseline_csv() -> bytes:
    lines = ["email,first_name,last_name,agency,position,country,preferred_language"]
    lines += [f"p{n:05}@example.org,First{n},Last{n},Border Guard,Officer,PL,pl" for n in range(ROWS)]
    return "\n".join(lines).encode()


def huge_dimension() -> bytes:
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>a@example.org</t></is></c></row>'
    return _xlsx(_sheet_of(lambda out: out.write(row), head='<dimension ref="A1:XFD1048576"/>'), None)


def empty_rows() -> bytes:
    def rows(out: io.BufferedIOBase) -> None:
        for start in range(2, 2_000_002, 100_000):
            out.write(b"".join(b'<row r="%d"/>' % n for n in range(start, start + 100_000)))

    return _xlsx(_sheet_of(rows), None)


def huge_shared_string() -> bytes:
    def strings(out: io.BufferedIOBase) -> None:
        out.write(f'<sst xmlns="{MAIN}"><si><t>'.encode())
        chunk = b"A" * (1024 * 1024)
        for _ in range(500):
            out.write(chunk)
        out.write(b"</t></si></sst>")

    row = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return _xlsx(_sheet_of(lambda out: out.write(row)), strings)


def long_shared_string() -> bytes:
    """Under the unpacked-size limit (40 MB), so it is parsed: the cell length limit stops it."""

    def strings(out: io.BufferedIOBase) -> None:
        out.write(f'<sst xmlns="{MAIN}"><si><t>'.encode())
        out.write(b"A" * (40 * 1024 * 1024))
        out.write(b"</t></si></sst>")

    row = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return _xlsx(_sheet_of(lambda out: out.write(row)), strings)


def many_columns() -> bytes:
    from core.tabular import column_letter

    def rows(out: io.BufferedIOBase) -> None:
        for line in range(2, 102):
            out.write(f'<row r="{line}">'.encode())
            out.write("".join(f'<c r="{column_letter(n)}{line}"><v>{n}</v></c>' for n in range(1, 16385)).encode())
            out.write(b"</row>")

    return _xlsx(_sheet_of(rows), None)


def empty_cells() -> bytes:
    def rows(out: io.BufferedIOBase) -> None:
        for line in range(2, 202):
            out.write(f'<row r="{line}">'.encode() + b"<c/>" * 16384 + b"</row>")

    return _xlsx(_sheet_of(rows), None)


def billion_laughs() -> bytes:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )

    def sheet(out: io.BufferedIOBase) -> None:
        out.write(f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'.encode())
        out.write(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'.encode())
        out.write(b"<is><t>&j;</t></is></c></row></sheetData></worksheet>")

    return _xlsx(sheet, None)


def measure(content: bytes, filename: str, runs: int) -> tuple[float, int, str]:
    from core.tabular import TabularError, table_read

    outcome = ""

    def once() -> None:
        nonlocal outcome
        try:
            table = table_read(content=content, filename=filename, max_bytes=len(content))
            outcome = f"read {len(table.rows)} rows"
        except TabularError as exc:
            outcome = f"refused: {exc.message}"

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()

    cases: list[tuple[str, str, Callable[[], bytes]]] = [
        ("baseline: 5,000 rows × 7 columns", "roster.xlsx", baseline_xlsx),
        ("baseline: the same as CSV", "roster.csv", baseline_csv),
        ("largest accepted: 5,000 × 100", "big.xlsx", largest_accepted),
        ("dimension A1:XFD1048576", "bomb.xlsx", huge_dimension),
        ("2,000,000 empty rows", "bomb.xlsx", empty_rows),
        ("one 500 MB shared string", "bomb.xlsx", huge_shared_string),
        ("one 40 MB shared string", "bomb.xlsx", long_shared_string),
        ("100 rows × 16,384 columns", "bomb.xlsx", many_columns),
        ("200 rows × 16,384 empty cells", "bomb.xlsx", empty_cells),
        ("billion laughs (DTD entities)", "bomb.xlsx", billion_laughs),
    ]
    print(f"{'file':<34} {'on disk':>10} {'unpacked':>10} {'time':>9} {'× base':>7} {'peak mem':>10} {'× base':>7}")
    base_time = base_peak = 0.0
    for name, filename, build in cases:
        content = build()
        unpacked = (
            sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
            if content[:2] == b"PK"
            else len(content)
        )
        seconds, peak, outcome = measure(content, filename, args.runs)
        if not base_time:
            base_time, base_peak = seconds, peak
        print(
            f"{name:<34} {len(content) / 1024:>8.0f}KB {unpacked / 1024 / 1024:>8.1f}MB "
            f"{seconds * 1000:>7.1f}ms {seconds / base_time:>7.2f} "
            f"{peak / 1024 / 1024:>8.1f}MB {peak / base_peak:>7.2f}"
        )
        print(f"    {outcome[:110]}")


if __name__ == "__main__":
    main()
