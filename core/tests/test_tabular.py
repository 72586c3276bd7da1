import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.tabular import TabularError, control_characters, neutralise, normalise_header, table_read, table_write

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


# --- sizes, long cells, headers (review item 12) -----------------------------------------------

LIMIT = 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (LIMIT + 2, "The file is 5,242,882 bytes; the limit is 5,242,880 bytes."),
        (LIMIT + 200 * 1024, "The file is 5.2 MB; the limit is 5.0 MB."),
        (10 * LIMIT, "The file is 50.0 MB; the limit is 5.0 MB."),
        (3000, "The file is 2.9 KB; the limit is 1.0 KB."),
        (700, "The file is 700 bytes; the limit is 500 bytes."),
    ],
)
def test_the_size_message_gives_the_real_size(size, message):
    limit = {3000: 1024, 700: 500}.get(size, LIMIT)
    with pytest.raises(TabularError) as excinfo:
        table_read(content=b"x" * size, filename="r.csv", max_bytes=limit)
    assert excinfo.value.message == message


def test_a_file_cut_one_byte_past_the_limit_is_not_given_a_size():
    # Roster uploads are read up to one byte past the limit: their real size is not known here.
    with pytest.raises(TabularError) as excinfo:
        table_read(content=b"x" * (LIMIT + 1), filename="r.csv", max_bytes=LIMIT)
    assert excinfo.value.message == "The file is larger than 5.0 MB, the limit."
    with pytest.raises(TabularError) as excinfo:
        table_read(content=b"x" * (LIMIT + 1), filename="r.csv", max_bytes=LIMIT, size=50 * 1024 * 1024)
    assert excinfo.value.message == "The file is 50.0 MB; the limit is 5.0 MB."


@pytest.mark.parametrize("length", [40_000, 200_000])  # ours, and past the csv module's own field limit
def test_a_long_csv_cell_is_named_by_line_and_column(length):
    content = b'email,message\na@example.org,"a, b\nc"\nb@example.org,"x,' + b"y" * length + b'"\n'
    with pytest.raises(TabularError) as excinfo:
        table_read(content=content, filename="r.csv")
    assert excinfo.value.message == ("Line 4, column B (“message”): the cell is longer than 32,767 characters.")


def test_long_invalid_header_names_are_cut_in_messages():
    header = "x" * 5000
    with pytest.raises(TabularError) as excinfo:
        table_read(content=f"{header},{header}\n1,2\n".encode(), filename="r.csv")
    assert len(excinfo.value.message) < 100
    assert "…" in excinfo.value.message


def test_too_many_csv_columns_are_refused_at_the_first_past_the_limit():
    content = b"email," + b"," * 200 + b"x\na@example.org\n"
    with pytest.raises(TabularError, match=r"Line 1, column GT: the file has more than 100 columns"):
        table_read(content=content, filename="r.csv")
    wide = table_read(content=b"email" + b"," * 500 + b"\na@example.org\n", filename="r.csv")  # empty columns
    assert wide.rows[0].values == {"email": "a@example.org"}


@pytest.mark.parametrize(
    "header", ["email", "Email", "E-mail", "e mail", "E_Mail", "EMAIL ", "e‐mail", "E–mail", "Ｅ－ｍａｉｌ"]
)
def test_email_headers_are_read_whatever_the_dashes(header):
    table = table_read(content=f"{header},First-Name\na@example.org,Ana\n".encode(), filename="r.csv")
    assert table.headers == ["email", "first_name"]


@pytest.mark.parametrize("header", ["first name", "first-name", "First_Name", " First  Name ", "FIRST–NAME"])
def test_multi_word_headers_keep_their_underscore(header):
    assert normalise_header(header) == "first_name"


# --- line numbers (review item 13) -------------------------------------------------------------


def test_csv_rows_are_numbered_by_the_line_they_start_on():
    content = b'email,notes\na@example.org,"one\ntwo\nthree"\n\nb@example.org,x\n"c@example.org","\n"\n'
    table = table_read(content=content, filename="r.csv", multiline=("notes",))
    assert [(r.line, r.get("email")) for r in table.rows] == [
        (2, "a@example.org"),
        (6, "b@example.org"),
        (7, "c@example.org"),
    ]


def test_csv_errors_after_a_multi_line_cell_point_at_the_record():
    content = b'email,notes\na@example.org,"one\ntwo"\nb@example.org,"bell \x07"\n'
    table = table_read(content=content, filename="r.csv", multiline=("notes",))
    assert [(e.line, e.column) for e in table.errors] == [(4, "notes")]


# --- control characters (review item 10) -------------------------------------------------------


def test_control_characters_are_cell_errors_the_importers_can_show():
    content = 'email,first_name,notes\na@example.org,An\x07a,"one\ttwo\nthree"\nb@example.org,Bo\x1b[31m,a\x85b\n'
    table = table_read(content=content.encode(), filename="r.csv", multiline=("notes",))
    assert [r.get("first_name") for r in table.rows] == ["An\x07a", "Bo\x1b[31m"]  # kept: the importer decides
    assert [(e.line, e.column) for e in table.errors] == [(2, "first_name"), (4, "first_name"), (4, "notes")]
    assert table.rows[0].errors == {
        "first_name": "The cell contains control characters (U+0007); remove them.",
    }
    # Tab and line breaks are text only where several lines are allowed.
    single = table_read(content=b'email,first_name\na@example.org,"An\na"\n', filename="r.csv")
    assert single.rows[0].errors == {"first_name": "The cell contains control characters (U+000A); remove them."}


def test_a_header_with_control_characters_is_refused():
    with pytest.raises(TabularError, match=r"Line 1, column B: The cell contains control characters \(U\+001B\)"):
        table_read(content=b"email,first\x1bname\na@example.org,Ana\n", filename="r.csv")


def test_exports_drop_control_characters_in_csv_and_xlsx():
    rows = [["An\x07a", "\x1b[31mred\x1b[0m", "tab\there\nnext line", "\x07=SUM(A1)", "del\x7f c1\x9b", 5]]
    headers = ["first\x00name", "b", "c", "d", "e", "f"]
    expected = ["Ana", "[31mred[0m", "tab\there\nnext line", "'=SUM(A1)", "del c1", 5]
    csv_text = table_write(headers=headers, rows=rows, fmt="csv").decode("utf-8-sig")
    assert not control_characters(csv_text, multiline=True)
    assert next(csv.reader(io.StringIO(csv_text)))[0] == "firstname"
    assert list(csv.reader(io.StringIO(csv_text)))[1] == [str(v) for v in expected]
    sheet = load_workbook(io.BytesIO(table_write(headers=headers, rows=rows, fmt="xlsx"))).active
    assert sheet["A1"].value == "firstname"
    assert [c.value for c in sheet[2]] == expected


@given(st.lists(st.text(max_size=12), min_size=1, max_size=4))
def test_any_text_exports_to_xlsx(row):
    sheet = load_workbook(io.BytesIO(table_write(headers=["a"] * len(row), rows=[row], fmt="xlsx"))).active
    assert len(list(sheet.iter_rows())) == 2


def test_a_parsed_table_comes_back_whole_from_json():
    import json

    from core.tabular import Table, table_read

    table = table_read(
        content=b"email,first_name\nana@example.org,\x07Ana\n",
        filename="r.csv",
        required=("email",),
    )
    again = Table.from_json(json.loads(json.dumps(table.as_json())))
    assert again == table
    assert again.errors == table.errors
