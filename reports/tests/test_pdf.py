"""The report PDF, from hand-built data (no database): text, figures, diacritics, structure, names, bad data."""

import io
from dataclasses import replace

import pypdf
import pytest
from django.utils import translation

from core.pdf import nfc
from reports.content import report_labels
from reports.data import ObjectiveResult, Observation
from reports.pdf import CAP_OBSERVATIONS, ReportLabels, render_run_report
from reports.tests import samples


@pytest.fixture(scope="module")
def labels() -> ReportLabels:
    with translation.override("en"):
        return report_labels()


def _read(pdf: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, [nfc(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def full(labels: ReportLabels) -> tuple[pypdf.PdfReader, list[str]]:
    return _read(render_run_report(samples.run_report(), labels=labels, invariant=True))


def test_the_names_render_with_their_diacritics(full):
    text = "\n".join(full[1])
    for name in (samples.PL, samples.RO, samples.BG, samples.OBJ_PL, samples.OBJ_RO, samples.OBJ_BG):
        assert name in text
    assert "Ćwiczenie graniczne „Wisła”" in text
    assert "ș" in text
    assert "ț" in text
    assert "ş" not in text
    assert "ţ" not in text


def test_the_key_figures_are_printed(full):
    text = "\n".join(full[1])
    assert "Messages\n17" in text
    assert "Median first reply\n4:30" in text
    assert "Slowest first reply\n12:05 (Poliția de Frontieră → Straż Graniczna)" in text
    assert "Never answered\nГранична полиция" in text
    assert f"{samples.OBJ_PL}\n3\n3.67\n2–5 (σ 1.25)" in text  # observations, average, spread
    assert "10:10 – 12:00 (1:50:00)\n-10:00" in text  # a phase 10 minutes under its plan
    assert "09:00 – (not ended)" in text
    assert "Straż Graniczna: 2:00; Poliția de\nFrontieră: never" in text
    assert "8 of 12 responded." in text
    assert "Answered: 8 · Mean: 4.20" in text
    assert "Wyznaczyć osobę kontaktową" in text
    assert "2026-09-01" in text


def test_title_page_contents_and_sections_in_the_aar_order(full):
    _reader, pages = full
    assert "After-action report and improvement" in pages[0]
    assert "Kohorta Kraków 2026" in pages[0]
    assert "RESTRICTED" in pages[0]
    assert "Generated 2026-06-02 15:30" in pages[0]
    contents = pages[1]
    assert contents.index("Contents") >= 0
    order = [
        "Overview",
        "Participating organisations",
        "Timeline",
        "Inter-agency information exchange",
        "Objectives",
        "Analysis",
        "Strengths",
        "Areas for improvement",
        "Reflections",
        "Improvement plan",
    ]
    positions = [contents.index(title) for title in order]
    assert positions == sorted(positions)
    body = "\n".join(pages[2:])
    assert [body.index(f"{title}\n") for title in order] == sorted(body.index(f"{title}\n") for title in order)


def test_every_page_is_numbered_and_marked(full):
    reader, pages = full
    total = len(reader.pages)
    assert total >= 4
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {total}" in page
        assert "RESTRICTED" in page


def test_the_contents_link_to_the_outline(full):
    reader, _pages = full
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:3] == ["Overview", "Timeline", "Inter-agency information exchange"]
    assert reader.get_destination_page_number(reader.outline[0]) == 2  # the page after the contents


def test_metadata_without_personal_names(full):
    reader, _pages = full
    meta = reader.metadata
    assert meta.title == "After-action report and improvement plan: Ćwiczenie graniczne „Wisła” — Kohorta Kraków 2026"
    assert meta.author == "Concord"
    assert meta.subject == "Przeciwdziałanie handlowi ludźmi — Kohorta Kraków 2026"
    assert "improvement plan" in meta["/Keywords"]
    assert "RESTRICTED" in meta["/Keywords"]
    for name in samples.NAMES:
        assert name not in str(dict(meta))


def test_only_the_dejavu_fonts_are_embedded(full):
    reader, _pages = full
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("DejaVuSans" in font for font in fonts), fonts  # no Helvetica (Latin-1 only)


def test_the_full_version_names_people(full):
    text = "\n".join(full[1])
    for name in samples.NAMES:
        assert name in text


def test_the_shareable_version_names_nobody(labels):
    reader, pages = _read(render_run_report(samples.shareable_report(), labels=labels))
    text = "\n".join(pages)
    for name in samples.NAMES:
        assert name not in text
    assert "Mai multă practică — anonymous" in text
    assert "RESTRICTED" not in text
    assert all("Shareable version — no personal names" in page for page in pages)
    assert samples.PL in text
    assert "17" in text
    assert "Shareable" in reader.metadata["/Keywords"]


def test_bad_and_missing_data_is_reported_not_a_crash(labels):
    _reader, pages = _read(render_run_report(samples.empty_report(), labels=labels))
    text = "\n".join(pages)
    assert "Data problems" in pages[1]  # in the contents
    for problem in samples.empty_report().problems:
        assert problem in text
    for sentence in ("No messages were exchanged.", "No observations.", "No reflections.", "No improvement actions"):
        assert sentence in text
    assert "not started" in text
    assert "— – —" in text  # no dates known


def test_a_report_of_nothing_at_all_renders(labels):
    report = replace(samples.empty_report(), timeline=replace(samples.empty_report().timeline, phases=()))
    _reader, pages = _read(render_run_report(report, labels=labels))
    assert "No phases to show." in "\n".join(pages)


def test_long_lists_are_capped_with_how_many_more(labels):
    report = samples.run_report(observations=100)
    _reader, pages = _read(render_run_report(report, labels=labels))
    text = "\n".join(pages)
    assert f"… and {100 - CAP_OBSERVATIONS} more (the exports carry everything)." in text
    assert f"Obserwacja nr {CAP_OBSERVATIONS}:" in text
    assert f"Obserwacja nr {CAP_OBSERVATIONS + 1}:" not in text


def test_markup_in_the_data_is_printed_not_interpreted(labels):
    report = samples.run_report()
    odd = ObjectiveResult("Cel <b>& “cudzysłów”</b>", observations=(Observation("Zespół <i>", 3, "a < b & c > d"),))
    report = replace(report, objectives=(*report.objectives, odd))
    text = "\n".join(_read(render_run_report(report, labels=labels))[1])
    assert "Cel <b>& “cudzysłów”</b>" in text
    assert "a < b & c > d" in text


def test_invariant_renders_are_byte_identical(labels):
    first = render_run_report(samples.run_report(), labels=labels, invariant=True)
    second = render_run_report(samples.run_report(), labels=labels, invariant=True)
    assert first == second
    assert first.startswith(b"%PDF-")
