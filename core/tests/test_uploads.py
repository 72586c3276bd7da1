"""The upload rules (core.uploads, pure): names, extensions, sizes and content that matches the extension."""

import io
import zipfile

import pytest

from core.uploads import upload_name_clean, upload_problems

EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "docx", "odt", "xlsx")


def _zip(*members: str, first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for member in members:
            archive.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("passport.pdf", "passport.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\ana\\report.docx", "report.docx"),
        ("re\x00po\x1brt\u200b.pdf", "report.pdf"),
        ("  .hidden.txt ", "hidden.txt"),
        ("e\u0301tude.txt", "étude.txt"),
        ("a" * 300 + ".pdf", "a" * 76 + ".pdf"),
        ("/", ""),
    ],
)
def test_names_lose_folders_and_invisible_characters(name, clean):
    assert upload_name_clean(name) == clean


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"%PDF-1.7\n1 0 obj"),
        ("map.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("photo.JPG", b"\xff\xd8\xff\xe0\0\x10JFIF"),
        ("notes.txt", b"Six persons, irregular documents.\n"),
        ("report.docx", _zip("[Content_Types].xml", "word/document.xml")),
        ("list.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml")),
        ("letter.odt", _zip("content.xml", first=("mimetype", b"application/vnd.oasis.opendocument.text"))),
    ],
)
def test_files_whose_content_matches_their_extension_pass(name, content):
    assert upload_problems(name=name, size=len(content), content=content, extensions=EXTENSIONS) == []


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("scan.pdf", b"MZ\x90\0 an executable", "The file's content is not a .pdf file"),
        ("report.docx", _zip("xl/workbook.xml"), "The file's content is not a .docx file"),
        ("report.docx", b"PK\x03\x04 broken", "The file's content is not a .docx file"),
        ("notes.txt", b"\x00\x01binary", "The file's content is not a .txt file"),
        ("page.html", b"<script>", "Files ending in .html are not accepted"),
        ("noextension", b"%PDF-", "Files ending in .— are not accepted"),
        ("empty.pdf", b"", "The file is empty."),
        ("", b"%PDF-", "The file needs a name."),
    ],
)
def test_other_files_are_refused_with_a_reason(name, content, problem):
    problems = upload_problems(name=name, size=len(content), content=content, extensions=EXTENSIONS)
    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_a_file_over_the_limit_is_refused_by_its_size(settings):
    settings.CONCORD_MAX_UPLOAD_BYTES = 10
    assert upload_problems(name="a.pdf", size=11, content=b"%PDF-", extensions=EXTENSIONS) == [
        "The file is 11 bytes; the limit is 10 bytes."
    ]
