"""The certificate PDF: a golden file, the text a reader extracts, the QR code a phone decodes, Polish words.

Regenerate the golden file after an intended change of the page (and bump TEMPLATE_VERSION):
``UPDATE_GOLDEN=1 .venv/bin/pytest -p no:xdist certificates/tests/test_pdf.py``.
"""

import datetime
import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polib
import pypdfium2
import pytest
import zxingcpp
from django.utils import translation
from pypdf import PdfReader

from certificates.content import certificate_dates, certificate_labels
from certificates.pdf import TEMPLATE_VERSION, CertificateData, CertificateLabels, render_certificate

GOLDEN = Path(__file__).parent / "golden" / "certificate.pdf"
ROOT = Path(__file__).resolve().parents[2]
NAMES = ["Zofia Łukasiewicz-Żółć", "Ștefan Țurcanu", "Мария Иванова", "Jürgen Groß"]
URL = "https://concord.example.org/certificates/verify/K7QF-9XRM-2HTD/"

LABELS = CertificateLabels(
    title="Certificate of completion",
    awarded_to="This certificate is awarded to",
    completed="for completing the course",
    cohort="Cohort",
    dates="Dates",
    hours="Hours",
    objectives="Learning objectives covered",
    role="Role in the exercise",
    verify="Verify this certificate at",
    code="Verification code",
)

FIXED = CertificateData(
    holder_name="Zofia Łukasiewicz-Żółć",
    issuer="Concord Inter-Agency Training Centre",
    course_title="Identifying and protecting victims of trafficking in human beings",
    cohort_name="Spring cohort, Warsaw 2026",
    dates="12–14 May 2026",
    hours="18.5",
    objectives=[
        "Rozpoznawanie wskaźników handlu ludźmi podczas odprawy granicznej",
        "Cooperare transfrontalieră și schimb de informații între agenții",
        "Разпознаване и насочване на жертви на трафик на хора",
        "Zusammenarbeit mit Opferschutzstellen bei der Erstversorgung von Betroffenen (Jürgen Groß)",
    ],
    roles=["Border Guard team (exercise: Operation Amber Gate)"],
    signatories=[("Ștefan Țurcanu", "Course director"), ("Мария Иванова", "Head of training")],
    code="K7QF-9XRM-2HTD",
    verify_url=URL,
    language="en",
    labels=LABELS,
)

# Renders FIXED in a fresh interpreter: the golden bytes must not depend on the process.
_OTHER_PROCESS = """
import sys
from certificates.tests.test_pdf import FIXED
from certificates.pdf import render_certificate
sys.stdout.buffer.write(render_certificate(FIXED, invariant=True))
"""


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _flat(text: str) -> str:
    """Whitespace (line breaks of wrapped text included) as single spaces."""
    return " ".join(text.split())


def _decode_qr(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil().convert("L")
    finally:
        document.close()
    return [
        barcode.text for barcode in zxingcpp.read_barcodes(image) if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_the_fixed_certificate_matches_the_golden_file(tmp_path: Path) -> None:
    rendered = render_certificate(FIXED, invariant=True)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_bytes(rendered)
    assert GOLDEN.exists(), f"no golden file: create it with UPDATE_GOLDEN=1 pytest {__file__}"
    if rendered != GOLDEN.read_bytes():
        actual = tmp_path / "certificate.pdf"
        actual.write_bytes(rendered)
        pytest.fail(
            f"The certificate PDF differs from {GOLDEN.relative_to(ROOT)} (this render is at {actual}). "
            f"If the page was changed on purpose, bump TEMPLATE_VERSION (now {TEMPLATE_VERSION}) and "
            f"regenerate with UPDATE_GOLDEN=1 .venv/bin/pytest -p no:xdist {Path(__file__).relative_to(ROOT)}"
        )


def test_invariant_output_is_the_same_in_one_process_and_in_another() -> None:
    first = render_certificate(FIXED, invariant=True)
    assert render_certificate(FIXED, invariant=True) == first
    other = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", _OTHER_PROCESS], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout
    assert other == first


def test_the_page_shows_every_name_with_its_diacritics_and_the_course_and_code() -> None:
    pdf = render_certificate(FIXED)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = _flat(reader.pages[0].extract_text())
    for name in NAMES:
        assert name in text
    for expected in (
        FIXED.issuer,
        FIXED.course_title,
        FIXED.cohort_name,
        FIXED.dates,
        FIXED.hours,
        FIXED.code,
        URL,
        "Course director",
        "Border Guard team (exercise: Operation Amber Gate)",
        "Разпознаване и насочване на жертви на трафик на хора",
        "Cooperare transfrontalieră și schimb de informații între agenții",
        *(getattr(LABELS, label) for label in ("title", "awarded_to", "objectives", "role", "code")),
    ):
        assert expected in text, expected


def test_every_font_is_an_embedded_subset_of_dejavu() -> None:
    fonts = PdfReader(io.BytesIO(render_certificate(FIXED))).pages[0]["/Resources"]["/Font"]
    names = set()
    for font in fonts.values():
        font = font.get_object()
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
        names.add(font["/BaseFont"].split("+")[1])
    assert names == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif-Bold"}


@pytest.mark.parametrize("name", NAMES)
def test_each_holder_name_is_extracted_exactly(name: str) -> None:
    text = _text(render_certificate(replace(FIXED, holder_name=name)))
    assert name in text.splitlines()


def test_decomposed_text_is_drawn_composed() -> None:
    decomposed = "Zofia Łukasiewicz-Z\u0307o\u0301ł\u0107"  # Ż, ó, ć as base letter + combining mark
    text = _text(render_certificate(replace(FIXED, holder_name=decomposed)))
    assert "Zofia Łukasiewicz-Żółć" in text.splitlines()


def test_the_qr_code_holds_the_verification_url_and_nothing_else() -> None:
    decoded = _decode_qr(render_certificate(FIXED))
    assert decoded == [URL]
    assert all(name.split()[0] not in decoded[0] for name in NAMES)


def test_the_qr_code_is_one_path_not_a_widget() -> None:
    pdf = render_certificate(FIXED)
    reader = PdfReader(io.BytesIO(pdf))
    assert "/XObject" not in reader.pages[0]["/Resources"]  # no form or image: drawn on the page itself
    content = reader.pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert content.count(" re") > 100  # the QR's runs of dark modules
    fills = re.findall(r"\bf\b|\bf\*", content)
    assert len(fills) == 4  # one fill each: the corner diamonds, the objectives' bullets, the roles' bullets, the QR


def test_the_metadata_names_the_course_and_issuer_not_the_person() -> None:
    metadata = PdfReader(io.BytesIO(render_certificate(FIXED))).metadata
    assert metadata is not None
    assert metadata.title == f"Certificate of completion: {FIXED.course_title}"
    assert metadata.author == FIXED.issuer
    assert metadata.subject == FIXED.course_title
    for value in metadata.values():
        assert "Łukasiewicz" not in str(value)


def test_objectives_that_do_not_fit_are_counted() -> None:
    objectives = [f"Objective {number:02d}: recognising indicators of trafficking at work" for number in range(1, 31)]
    text = _flat(_text(render_certificate(replace(FIXED, objectives=objectives))))
    shown = [objective for objective in objectives if objective in text]
    assert 5 <= len(shown) < 30
    assert shown == objectives[: len(shown)]
    assert f"+{30 - len(shown)} more" in text


def test_all_objectives_that_fit_are_shown_without_a_count() -> None:
    text = _flat(_text(render_certificate(FIXED)))
    assert all(objective in text for objective in FIXED.objectives)
    assert "more" not in text


def test_a_long_name_shrinks_and_wraps_but_stays_whole() -> None:
    name = "Maria-Magdalena Alexandrina Constantinescu-Ionescu-Vasilescu de la București și Ploiești, Бояна Георгиева"
    text = _flat(_text(render_certificate(replace(FIXED, holder_name=name))))
    assert name in text


def test_no_signatories_no_roles_and_no_objectives_still_render() -> None:
    data = replace(FIXED, signatories=[], roles=[], objectives=[])
    text = _flat(_text(render_certificate(data)))
    assert FIXED.holder_name in text
    assert LABELS.objectives not in text
    assert LABELS.role not in text
    assert _decode_qr(render_certificate(data)) == [URL]


def test_labels_are_required() -> None:
    with pytest.raises(ValueError, match="labels"):
        render_certificate(replace(FIXED, labels=None))


def test_polish_labels_come_from_the_catalogue() -> None:
    with translation.override("pl"):
        labels = certificate_labels()
    assert labels.title == "Certyfikat ukończenia szkolenia"
    assert labels.code == "Kod weryfikacyjny"
    assert labels.more % {"count": 3} == "+3 więcej"
    english = certificate_labels()
    assert english.title == "Certificate of completion"
    # Every label is translated: none is left in English.
    assert all(
        getattr(labels, name) != getattr(english, name) for name in labels.__dataclass_fields__ if name != "more"
    )


def test_a_polish_certificate_shows_polish_words_and_dates() -> None:
    with translation.override("pl"):
        data = replace(
            FIXED,
            language="pl",
            labels=certificate_labels(),
            dates=certificate_dates(datetime.date(2026, 5, 12), datetime.date(2026, 5, 14)),
        )
    pdf = render_certificate(data)
    text = _flat(_text(pdf))
    for words in (
        "Certyfikat ukończenia szkolenia",
        "Niniejszy certyfikat otrzymuje",
        "Rola w ćwiczeniu",
        "12–14 maja 2026",
    ):
        assert words in text
    assert "Certificate of completion" not in text
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "pl"


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", datetime.date(2026, 5, 12), datetime.date(2026, 5, 14), "12–14 May 2026"),
        ("pl", datetime.date(2026, 5, 12), datetime.date(2026, 5, 14), "12–14 maja 2026"),
        ("en", datetime.date(2026, 5, 28), datetime.date(2026, 6, 2), "28 May – 2 June 2026"),
        ("pl", datetime.date(2026, 5, 28), datetime.date(2026, 6, 2), "28 maja – 2 czerwca 2026"),
        ("pl", datetime.date(2026, 12, 30), datetime.date(2027, 1, 2), "30 grudnia 2026 – 2 stycznia 2027"),
        ("en", datetime.date(2026, 5, 12), None, "12 May 2026"),
        ("pl", datetime.date(2026, 5, 12), datetime.date(2026, 5, 12), "12 maja 2026"),
    ],
)
def test_cohort_dates_in_the_certificate_language(
    language: str, start: datetime.date, end: datetime.date | None, expected: str
) -> None:
    with translation.override(language):
        assert certificate_dates(start, end) == expected


def test_every_word_of_certificates_content_is_in_the_polish_catalogue() -> None:
    source = (ROOT / "certificates" / "content.py").read_text()
    used = set(re.findall(r'pgettext\(\s*"([^"]+)",\s*"([^"]+)"\s*\)', source))
    assert len(used) >= 16
    catalogue = polib.pofile(str(ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po"))
    translated = {(entry.msgctxt, entry.msgid) for entry in catalogue if entry.msgstr and not entry.fuzzy}
    assert used <= translated, sorted(used - translated)
