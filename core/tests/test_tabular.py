import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.tabular import TabularError, neutralise, table_read, table_write

REQUIRED = ("email", "first_name")


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reads_comma_csv_with_normalised_headers():
    table = table_read(content=b"Email,First Name\na@example.org,Anna\n", filename="r.csv", required=REQUIRED)
    assert table.headers == ["email", "first_name"]
    assert [(r.line, r.values) for r in table.rows] == [(2, {"email": "a@example.org", "first_name": "Anna"})]


def test_reads_semicolon_csv_with_bom_and_diacritics():
    content = "\ufeffemail;first_name\nl@example.org;Łucja\ns@example.org;Ștefan\n".encode()
    table = table_read(content=content, filename="r.csv", required=REQUIRED)
    assert [r.get("first_name") for r in table.rows] == ["Łucja", "Ștefan"]


def test_reads_utf16_csv_as_saved_by_spreadsheets():
    content = "email\tfirst_name\nb@example.org\tБоян\n".encode("utf-16")
    table = table_read(content=content, filename="r.csv", required=REQUIRED)
    assert table.rows[0].get("first_name") == "Боян"


def test_wrong_encoding_is_refused_with_a_clear_message():
    content = "email,first_name\nz@example.org,Zażółć\n".encode("cp1250")
    with pytest.raises(TabularError, match="not UTF-8"):
        table_read(content=content, filename="r.csv")


def test_oversized_file_is_refused():
    with pytest.raises(TabularError, match="limit"):
        table_read(content=b"email\n" + b"x@example.org\n" * 100, filename="r.csv", max_bytes=64)


def test_missing_columns_are_named():
    with pytest.raises(TabularError, match="first_name"):
        table_read(content=b"email\na@example.org\n", filename="r.csv", required=REQUIRED)


@pytest.mark.parametrize("content", [b"", b"  \n", b"PK\x03\x04garbage"])
def test_empty_or_malformed_files_are_refused(content):
    with pytest.raises(TabularError):
        table_read(content=content, filename="r.xlsx" if content.startswith(b"PK") else "r.csv")


def test_other_extensions_are_refused():
    with pytest.raises(TabularError, match=r"\.pdf"):
        table_read(content=b"%PDF-1.4", filename="roster.pdf")


def test_reads_xlsx_and_skips_blank_rows():
    content = _xlsx([["Email", "First name"], ["a@example.org", "Anna"], [None, None], ["b@example.org", 7.0]])
    table = table_read(content=content, filename="r.xlsx", required=REQUIRED)
    assert [(r.line, r.get("first_name")) for r in table.rows] == [(2, "Anna"), (4, "7")]


def test_exports_neutralise_formulas_in_csv_and_xlsx():
    rows = [['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "plain", 5]]
    csv_text = table_write(headers=["a", "b", "c", "d", "e"], rows=rows, fmt="csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "'+1" in csv_text
    assert "'@SUM" in csv_text
    sheet = load_workbook(io.BytesIO(table_write(headers=["a", "b", "c", "d", "e"], rows=rows, fmt="xlsx"))).active
    assert [c.value for c in sheet[2]] == ['\'=HYPERLINK("http://x")', "'+1", "'@SUM(A1)", "plain", 5]


@given(st.text())
def test_neutralised_text_never_starts_a_formula(value):
    assert not str(neutralise(value)).startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=8), min_size=2, max_size=2
        ),
        max_size=10,
    )
)
def test_csv_round_trip_keeps_safe_text(rows):
    rows = [[v.strip() for v in row] for row in rows if any(v.strip() for v in row)]
    content = table_write(headers=["email", "first_name"], rows=rows, fmt="csv")
    table = table_read(content=content, filename="r.csv", required=REQUIRED)
    assert [[r.get("email"), r.get("first_name")] for r in table.rows] == [
        [str(neutralise(v)) for v in row] for row in rows
    ]


@pytest.mark.parametrize("filename", ["r.csv", "r.xlsx"])
def test_too_many_rows_are_refused_without_reading_the_rest(filename):
    rows = [["email", "first_name"], *([f"p{n}@example.org", "P"] for n in range(12))]
    content = _xlsx(rows) if filename.endswith("xlsx") else "\n".join(",".join(r) for r in rows).encode()
    assert len(table_read(content=content, filename=filename, max_rows=12).rows) == 12
    with pytest.raises(TabularError, match="more than 11 rows"):
        table_read(content=content, filename=filename, max_rows=11)
