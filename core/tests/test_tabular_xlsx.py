"""XLSX files built by hand, small on disk and huge or broken inside: each is refused with a
TabularError, and the reader stops at the limit (what it read is counted, not timed)."""

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.exceptions import ApplicationError
from core.tabular import TabularError, base, table_read, xlsx_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "%s</Types>"
)
STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
BIG = 50 * 1024 * 1024  # upload size limit for the tests: the bombs are far smaller than this anyway


def _parts(sheet: bytes | str, strings: bytes | str | None = None) -> dict[str, bytes | str]:
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if strings is not None:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES % ("" if strings is None else STRINGS_TYPE),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">{rels}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    return parts


def _zip(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _sheet(rows: bytes | str, *, dimension: str = "") -> bytes:
    rows_bytes = rows.encode() if isinstance(rows, str) else rows
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension}<sheetData>'.encode()
    return head + rows_bytes + b"</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + _inline("A1", "email") + _inline("B1", "message") + "</row>"
DATA_ROW = '<row r="2">' + _inline("A2", "a@example.org") + _inline("B2", "hello") + "</row>"


@pytest.fixture
def counted(monkeypatch):
    """The sheet handlers the reader made, to see how many rows and cells they looked at."""
    made: list[xlsx_rows._SheetHandler] = []

    class Counting(xlsx_rows._SheetHandler):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            made.append(self)

    monkeypatch.setattr(xlsx_rows, "_SheetHandler", Counting)
    return made


def test_a_hand_made_workbook_reads(counted):
    table = table_read(content=_zip(_parts(_sheet(HEADER_ROW + DATA_ROW))), filename="r.xlsx")
    assert [(r.line, r.values) for r in table.rows] == [(2, {"email": "a@example.org", "message": "hello"})]
    assert TabularError.__mro__[1] is ApplicationError  # answered 400 by views and the API


def test_the_declared_dimension_is_never_trusted(counted):
    # The review's 1.8 KB file: openpyxl's read-only sheet padded every row to 16,384 columns and
    # filled rows up to 1,048,576.
    content = _zip(_parts(_sheet(HEADER_ROW + DATA_ROW, dimension='<dimension ref="A1:XFD1048576"/>')))
    assert len(content) < 2048
    table = table_read(content=content, filename="r.xlsx")
    assert len(table.rows) == 1
    (sheet,) = counted
    assert (sheet.rows_scanned, sheet.cells_scanned) == (2, 4)


def test_a_cell_far_out_is_refused_at_that_cell(counted):
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    content = _zip(_parts(_sheet(HEADER_ROW + DATA_ROW + far, dimension='<dimension ref="A1:XFD1048576"/>')))
    with pytest.raises(TabularError, match=r"Line 1048576, column XFD: the file has more than 100 columns"):
        table_read(content=content, filename="r.xlsx")
    assert counted[0].cells_scanned == 5


def test_millions_of_empty_rows_are_not_all_scanned(counted):
    blank = b"".join(b'<row r="%d"/>' % n for n in range(3, 2_000_003))
    content = _zip(_parts(_sheet(HEADER_ROW.encode() + DATA_ROW.encode() + blank)))
    assert len(content) < base.XLSX_MAX_MEMBER_BYTES  # under the size limits: the row scan stops it
    with pytest.raises(TabularError, match=r"more than 10,000 empty rows"):
        table_read(content=content, filename="r.xlsx", max_bytes=BIG)
    # Rows come in chunks of 64 KB of XML: at most one chunk's worth past the limit is read.
    assert base.MAX_BLANK_ROWS < counted[0].rows_scanned < base.MAX_BLANK_ROWS + 5000


def test_blank_rows_within_the_allowance_are_skipped():
    blank = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(3, 5003))
    content = _zip(_parts(_sheet(HEADER_ROW + DATA_ROW + blank + _row(6000, "b@example.org"))))
    assert [r.line for r in table_read(content=content, filename="r.xlsx").rows] == [2, 6000]


def _row(number: int, email: str) -> str:
    return f'<row r="{number}">{_inline(f"A{number}", email)}</row>'


def test_too_many_rows_stop_at_the_limit(counted):
    rows = "".join(_row(n, f"p{n}@example.org") for n in range(2, 5000))
    content = _zip(_parts(_sheet(HEADER_ROW + rows)))
    with pytest.raises(TabularError, match="more than 50 rows"):
        table_read(content=content, filename="r.xlsx", max_rows=50)
    assert counted[0].rows_scanned < 1000  # one 64 KB chunk holds about 800 of these rows


def test_a_huge_shared_string_is_refused_before_any_parsing(monkeypatch):
    # The review's file: 0.5 MB on disk, one 500 MB shared string. 60 MB shows the same.
    huge = b'<sst xmlns="' + MAIN.encode() + b'"><si><t>' + b"A" * (60 * 1024 * 1024) + b"</t></si></sst>"
    sheet = _sheet(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    content = _zip(_parts(sheet, strings=huge))
    assert len(content) < 100 * 1024
    parsed = []
    monkeypatch.setattr(xlsx_rows, "_xml_parse", lambda *args: parsed.append(args) or iter(()))
    with pytest.raises(TabularError, match=r"unpacks to 60.0 MB or more; the limit is 50.0 MB"):
        table_read(content=content, filename="r.xlsx")
    assert parsed == []


def test_a_long_shared_string_is_dropped_as_it_streams_and_refused_where_used(monkeypatch):
    held = []

    class Watching(xlsx_rows._SharedStrings):
        def text(self, data):
            super().text(data)
            held.append(sum(len(piece) for piece in self._buffer))

    monkeypatch.setattr(xlsx_rows, "_SharedStrings", Watching)
    strings = f'<sst xmlns="{MAIN}"><si><t>ok</t></si><si><t>{"B" * 1_000_000}</t></si></sst>'
    sheet = _sheet(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>')
    with pytest.raises(TabularError, match=r"Line 2, column B \(“message”\): the cell is longer than 32,767"):
        table_read(content=_zip(_parts(sheet, strings=strings)), filename="r.xlsx")
    assert max(held) <= base.MAX_CELL_CHARS + 64 * 1024


def test_an_unused_long_shared_string_does_no_harm():
    strings = f'<sst xmlns="{MAIN}"><si><t>a@example.org</t></si><si><t>{"B" * 100_000}</t></si></sst>'
    sheet = _sheet(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    table = table_read(content=_zip(_parts(sheet, strings=strings)), filename="r.xlsx")
    assert table.rows[0].get("email") == "a@example.org"


def test_a_long_inline_cell_is_refused_as_it_streams(counted):
    sheet = _sheet(HEADER_ROW + '<row r="2">' + _inline("A2", "x") + _inline("B2", "y" * 1_000_000) + "</row>")
    with pytest.raises(TabularError, match=r"Line 2, column B \(“message”\): the cell is longer"):
        table_read(content=_zip(_parts(sheet)), filename="r.xlsx")
    assert sum(len(piece) for piece in counted[0]._buffer) <= base.MAX_CELL_CHARS


def test_many_columns_stop_at_the_first_past_the_limit(counted):
    cells = "".join(f'<c r="{base.column_letter(n)}2"><v>{n}</v></c>' for n in range(1, 16385))
    content = _zip(_parts(_sheet(HEADER_ROW + f'<row r="2">{cells}</row>')))
    with pytest.raises(TabularError, match=r"Line 2, column CW: the file has more than 100 columns"):
        table_read(content=content, filename="r.xlsx")
    assert counted[0].cells_scanned == 2 + 101


def test_empty_cells_count_towards_a_cell_budget(monkeypatch, counted):
    monkeypatch.setattr(xlsx_rows, "XLSX_MAX_CELLS", 5000)
    rows = "".join(f'<row r="{n}">' + "<c/>" * 1000 + "</row>" for n in range(2, 102))
    with pytest.raises(TabularError, match="more than 5,000 cells"):
        table_read(content=_zip(_parts(_sheet(HEADER_ROW + rows))), filename="r.xlsx")
    assert counted[0].cells_scanned == 5001


def test_other_xml_elements_count_towards_an_element_budget(monkeypatch):
    monkeypatch.setattr(xlsx_rows, "XLSX_MAX_ELEMENTS", 10_000)
    junk = b"<x/>" * 1_000_000
    with pytest.raises(TabularError, match="more than 10,000 XML elements"):
        table_read(content=_zip(_parts(_sheet(HEADER_ROW.encode() + junk))), filename="r.xlsx")


def test_too_many_parts_or_too_much_in_all_are_refused(monkeypatch):
    parts = _parts(_sheet(HEADER_ROW + DATA_ROW))
    many = parts | {f"xl/media/{n}.bin": b"" for n in range(1001)}
    with pytest.raises(TabularError, match="more than 1000 parts"):
        table_read(content=_zip(many), filename="r.xlsx")
    monkeypatch.setattr(xlsx_rows, "XLSX_MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    heavy = parts | {f"xl/media/{n}.bin": b"\0" * 1024 * 1024 for n in range(3)}
    with pytest.raises(TabularError, match=r"unpacks to 3\.00[0-9] MB or more; the limit is 3\.000 MB"):
        table_read(content=_zip(heavy), filename="r.xlsx")


def test_other_compression_methods_are_refused():
    content = _zip(_parts(_sheet(HEADER_ROW + DATA_ROW)), compression=zipfile.ZIP_BZIP2)
    with pytest.raises(TabularError, match=r"not a readable \.xlsx"):
        table_read(content=content, filename="r.xlsx")


# --- broken XML and zips (were 500s) -----------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{_inline("A1", "email")}</row>'
    f'<row r="2">{_inline("A2", "&c;")}</row></sheetData></worksheet>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{_inline("A1", "&x;")}</row></sheetData></worksheet>'
)
PLAIN_DTD = f'<?xml version="1.0"?><!DOCTYPE worksheet><worksheet xmlns="{MAIN}"><sheetData/></worksheet>'


@pytest.mark.parametrize("sheet", [LAUGHS, EXTERNAL, PLAIN_DTD], ids=["entities", "external", "dtd"])
def test_a_dtd_is_refused(sheet):
    with pytest.raises(TabularError, match="declares a DTD or entities"):
        table_read(content=_zip(_parts(sheet)), filename="r.xlsx")


def test_a_dtd_in_any_part_is_refused():
    parts = _parts(_sheet(HEADER_ROW + DATA_ROW))
    parts["xl/workbook.xml"] = '<!DOCTYPE workbook [<!ENTITY e "x">]>' + str(parts["xl/workbook.xml"])
    with pytest.raises(TabularError, match="declares a DTD"):
        table_read(content=_zip(parts), filename="r.xlsx")


def _without(parts: dict, name: str) -> dict:
    return {key: value for key, value in parts.items() if key != name}


GOOD = _parts(_sheet(HEADER_ROW + DATA_ROW))
BROKEN = {
    "unclosed element": _parts(_sheet('<row r="1"><c r="A1"><v>1</c></row>')),
    "bad character reference": _parts(_sheet('<row r="1">' + _inline("A1", "&#0;") + "</row>")),
    "unknown entity": _parts(_sheet('<row r="1">' + _inline("A1", "&nbsp;") + "</row>")),
    "not xml": _parts(b"\x00\x01garbage"),
    "empty sheet part": _parts(b""),
    "missing sheet": _without(GOOD, "xl/worksheets/sheet1.xml"),
    "missing workbook": _without(GOOD, "xl/workbook.xml"),
    "missing shared strings": _without(
        _parts(_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings=""), "xl/sharedStrings.xml"
    ),
    "string index out of range": _parts(_sheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'), strings="<sst/>"),
    "negative string index": _parts(
        _sheet('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>'), strings="<sst><si><t>x</t></si></sst>"
    ),
    "bad cell reference": _parts(_sheet('<row r="1"><c r="1A"><v>1</v></c></row>')),
    "unknown encoding": _parts(b'<?xml version="1.0" encoding="no-such-codec"?><worksheet/>'),
    "bad style": _parts(_sheet('<row r="1"><c r="A1" s="x"><v>1</v></c></row>')),
}


@pytest.mark.parametrize("parts", BROKEN.values(), ids=BROKEN.keys())
def test_broken_workbooks_are_a_clear_tabular_error(parts):
    with pytest.raises(TabularError, match=r"not a readable \.xlsx workbook"):
        table_read(content=_zip(parts), filename="r.xlsx")


def test_a_workbook_without_worksheets_is_refused():
    parts = _parts(_sheet(HEADER_ROW))
    parts["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PKG}"></Relationships>'
    with pytest.raises(TabularError, match="no worksheet"):
        table_read(content=_zip(parts), filename="r.xlsx")


def _corrupt(content: bytes, name: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    start = info.header_offset + 30 + len(name) + 4  # past the local header, into the deflated data
    return content[:start] + bytes(b ^ 0x55 for b in content[start : start + 8]) + content[start + 8 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda good: good[: len(good) // 2],  # truncated
        lambda good: good.replace(b"PK\x01\x02", b"PK\x01\x03"),  # central directory broken
        lambda good: _corrupt(good, "xl/worksheets/sheet1.xml"),  # a member's data changed
    ],
    ids=["truncated", "central directory", "corrupted data"],
)
def test_damaged_zips_are_a_clear_tabular_error(damage):
    with pytest.raises(TabularError, match=r"not a readable \.xlsx workbook"):
        table_read(content=damage(_zip(GOOD)), filename="r.xlsx")


def test_defusedxml_is_installed_for_openpyxl():
    # openpyxl still writes the exports and may load workbooks elsewhere: it uses defusedxml when present.
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_c1_and_del_characters_in_a_workbook_are_cell_errors():
    # XML 1.0 cannot carry C0 controls other than tab and line breaks, but C1 and DEL are allowed.
    sheet = _sheet(
        HEADER_ROW + '<row r="2">' + _inline("A2", "a@example.org") + _inline("B2", "red\x9b31m\x7f") + "</row>"
    )
    table = table_read(content=_zip(_parts(sheet)), filename="r.xlsx")
    assert list(table.rows[0].errors) == ["message"]
    assert "U+009B" in table.rows[0].errors["message"]
    assert "U+007F" in table.rows[0].errors["message"]


CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 1, 1)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=6))
def test_reads_what_openpyxl_reads(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["a", "b", "c"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    theirs = [
        [base._cell_text(v) for v in values]
        for values in load_workbook(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True).active.values
    ]
    theirs = [values for values in theirs[1:] if any(values)]
    ours = [[r.get(k) for k in "abc"] for r in table_read(content=buffer.getvalue(), filename="r.xlsx").rows]
    assert ours == theirs
