"""The report PDFs from hand-built data (no database): text, figures, diacritics, structure, names, bad data."""

import ast
import io
import time
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from django.utils import translation

from core.pdf import nfc
from reports.content import report_labels
from reports.data import Edge, MatrixLine, ObjectiveSection, ObservationItem
from reports.pdf import CAP_OBSERVATIONS, ReportLabels, render_cohort_report, render_run_report
from reports.tests import samples

ORDER = [
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


@pytest.fixture(scope="module")
def labels() -> ReportLabels:
    with translation.override("en"):
        return report_labels(time_zone="UTC")


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
    assert "ş" not in text  # comma below, not the cedilla
    assert "ţ" not in text


def test_the_key_figures_are_printed(full):
    text = "\n".join(full[1])
    assert "Messages\n17" in text
    assert "Median first reply\n4:30" in text
    assert "Slowest first reply\n12:05 (Poliția de Frontieră → Straż Graniczna, 2026-06-01 11:00)" in text
    assert "Never answered\nГранична полиция" in text
    assert f"C1 {samples.OBJ_PL}\n3\n3\n3.67\nσ 1.25 (2–5)" in text  # notes, rated, average, spread
    assert "10:10 – 12:00 (1:50:00)\n—\n-10:00" in text  # a phase 10 minutes under its plan
    assert "09:00 – (never ended)" in text
    assert "Planned 3:30:00, played 2:25:00, paused 0:00." in text
    assert "Straż Graniczna: 2:00; Poliția de" in text
    assert "10:20, +5:00 (Straż" in text  # the first related message, 5 minutes after the release
    assert "8 of 12 responded. Anonymous." in text
    assert "Answered: 8 · Mean: 4.20" in text
    assert "Fewer respondents than the anonymity threshold (5): results are not shown." in text
    assert "Więcej ćwiczeń z tłumaczem" in text
    assert "Wyznaczyć osobę kontaktową" in text
    assert "2026-09-01" in text


def test_the_matrix_holds_the_counts(full):
    text = "\n".join(full[1])
    assert f"From ↓ / To →\n1\n2\n3\n{samples.PL}\n9\n3\n{samples.RO}\n4\n{samples.BG}\n1" in text


def test_title_page_contents_and_sections_in_the_aar_order(full):
    _reader, pages = full
    assert "After-action report and improvement" in pages[0]
    assert "Kohorta Kraków 2026" in pages[0]
    assert "RESTRICTED" in pages[0]
    assert "Generated 2026-06-02 15:30" in pages[0]
    contents = pages[1]
    assert "Contents" in contents
    positions = [contents.index(title) for title in ORDER]
    assert positions == sorted(positions)
    body = "\n".join(pages[2:])
    positions = [body.index(f"{title}\n") for title in ORDER]
    assert positions == sorted(positions)


def test_every_page_is_numbered_and_marked(full):
    reader, pages = full
    total = len(reader.pages)
    assert total >= 4
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {total}" in page
        assert "RESTRICTED" in page


def test_the_contents_match_the_outline(full):
    reader, pages = full
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [
        t for t in ORDER if t not in ("Participating organisations", "Strengths", "Areas for improvement")
    ]
    for item in top:
        page = reader.get_destination_page_number(item)
        assert f"{item.title}\n" in pages[page]


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
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    assert all("DejaVuSans" in font for font in fonts), fonts  # no Helvetica: it is Latin-1 only


def test_the_full_version_names_people(full):
    text = "\n".join(full[1])
    for name in samples.NAMES:
        assert name in text


@pytest.mark.parametrize("report", [samples.shareable_report, samples.leaky_shareable_report])
def test_the_shareable_version_names_nobody(labels, report):
    reader, pages = _read(render_run_report(report(), labels=labels))
    text = "\n".join(pages)
    for name in samples.NAMES:
        assert name not in text
    assert "RESTRICTED" not in text
    assert all("Shareable version — no personal names" in page for page in pages)
    assert samples.PL in text  # teams and agencies stay
    assert "Messages\n17" in text
    assert "Shareable version" in reader.metadata["/Keywords"]


def test_bad_and_missing_data_is_reported_not_a_crash(labels):
    report = samples.empty_report()
    _reader, pages = _read(render_run_report(report, labels=labels))
    text = "\n".join(pages)
    assert "Data problems" in pages[1]  # in the contents
    for problem in report.problems:
        assert problem in text
    for sentence in ("No messages were exchanged.", "No observations.", "No reflections.", "No improvement actions"):
        assert sentence in text
    assert "not started" in text
    assert "— – —" in text  # never played: no dates


def test_a_report_of_nothing_at_all_renders(labels):
    report = samples.empty_report()
    report = replace(report, timeline=replace(report.timeline, phases=()), problems=())
    _reader, pages = _read(render_run_report(report, labels=labels))
    assert "No phases to show." in "\n".join(pages)


def test_long_lists_are_capped_with_how_many_more(labels):
    _reader, pages = _read(render_run_report(samples.run_report(observations=100), labels=labels))
    text = "\n".join(pages)
    assert f"… and {100 - CAP_OBSERVATIONS} more (the exports carry everything)." in text
    assert f"Obserwacja nr {CAP_OBSERVATIONS}:" in text
    assert f"Obserwacja nr {CAP_OBSERVATIONS + 1}:" not in text


def test_markup_in_the_data_is_printed_not_interpreted(labels):
    report = samples.run_report()
    note = ObservationItem(1, samples.at(samples.DAY1, 9), "Zespół <i>", "", "", 3, "a < b & c > d", True, "")
    odd = ObjectiveSection(9, "", "Cel <b>& “cudzysłów”</b>", (note,), (), report.objectives[2].ratings, ())
    text = "\n".join(_read(render_run_report(replace(report, objectives=(odd,)), labels=labels))[1])
    assert "Cel <b>& “cudzysłów”</b>" in text
    assert "a < b & c > d" in text


def test_invariant_renders_are_byte_identical(labels):
    first = render_run_report(samples.run_report(), labels=labels, invariant=True)
    second = render_run_report(samples.run_report(), labels=labels, invariant=True)
    assert first == second
    assert first.startswith(b"%PDF-")


def test_rendering_grows_linearly_with_the_observations(labels):
    """Capped lists keep a run with ten times the notes about as fast to draw."""

    def timed(count: int) -> float:
        report = samples.run_report(observations=count)
        times = []
        for _ in range(2):  # the better of two: the machine is shared
            start = time.perf_counter()
            render_run_report(report, labels=labels)
            times.append(time.perf_counter() - start)
        return min(times)

    timed(10)  # warm the fonts
    assert timed(2000) < 3 * timed(200) + 0.5


def test_the_cohort_report(labels):
    reader, pages = _read(render_cohort_report(samples.cohort_report(), labels=labels, invariant=True))
    text = "\n".join(pages)
    assert "Cohort report" in pages[0]
    assert "Exercițiul „Dunărea”" in text
    assert "Exercițiul „Dunărea”: the run never started." in text
    assert f"C1 {samples.OBJ_PL}\nAll runs\n3\n3.67\nσ 1.25 (2–5)" in text
    assert "Median first reply\n4:30" in text
    assert all(f"Page {n} of {len(reader.pages)}" in page for n, page in enumerate(pages, 1))
    assert reader.metadata.title == "Cohort report: Kohorta Kraków 2026"


def test_oversized_data_still_fits_the_pages(labels):
    """Nothing may be taller than a page: long texts are cut, big charts and tables are split."""
    report = samples.run_report()
    phase = report.timeline.phases[0]
    phases = tuple(replace(phase, order=i, name=f"Faza {i}", lane=f"Dzień {i % 3}") for i in range(90))
    long_note = replace(report.objectives[0].observations[0], text="ż" * 20000)
    objectives = tuple(
        replace(report.objectives[0], key=i, code=f"C{i}", label="Cel " + "ș" * 300, observations=(long_note,))
        for i in range(80)
    )
    teams = tuple(f"Zespół {i}" for i in range(30))
    exchange = replace(
        report.exchange,
        columns=teams,
        nodes=teams,
        rows=tuple(MatrixLine(t, (None,) * 30) for t in teams),
        edges=tuple(Edge(a, b, 1 + (i * j) % 7) for i, a in enumerate(teams) for j, b in enumerate(teams) if a != b),
    )
    report = replace(
        report,
        timeline=replace(report.timeline, lanes=("Dzień 0", "Dzień 1", "Dzień 2"), phases=phases),
        objectives=objectives,
        exchange=exchange,
    )
    _reader, pages = _read(render_run_report(report, labels=labels))
    text = "\n".join(pages)
    assert "ż" * 50 in text
    assert "ż" * 1300 not in text.replace("\n", "")  # cut at CELL_CHARS
    assert "The busiest pairs" in text  # 30 teams: a list instead of a 30-column matrix
    assert "Faza 89" in text


@pytest.mark.parametrize("module", ["pdf", "charts", "document"])
def test_the_renderer_is_pure(module):
    """No ORM, no gettext, no settings: data and labels in, bytes out."""
    tree = ast.parse((Path(__file__).resolve().parent.parent / f"{module}.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not [name for name in imported if name.startswith("django") or name.endswith((".models", ".selectors"))]


def test_inconsistent_data_renders(labels):
    """Ragged matrix rows, an edge to an unknown party, a phase ended without a start, naive times."""
    report = samples.run_report()
    exchange = replace(
        report.exchange,
        rows=(MatrixLine(samples.PL, (None,)), MatrixLine("Ktoś", (None, None, None, None, None))),
        edges=(*report.exchange.edges, Edge("Ktoś", samples.PL, 2)),
    )
    phase = replace(report.timeline.phases[0], started_at=None, state="done")
    naive = replace(
        report.timeline.phases[1], planned_start=report.timeline.phases[1].planned_start.replace(tzinfo=None)
    )
    report = replace(report, exchange=exchange, timeline=replace(report.timeline, phases=(phase, naive)))
    text = "\n".join(_read(render_run_report(report, labels=labels))[1])
    assert "Ktoś" in text
    assert "not started" in text


def test_figures_use_the_languages_decimal_separator():
    with translation.override("pl"):
        polish = report_labels(time_zone="Europe/Warsaw")
    text = "\n".join(_read(render_run_report(samples.run_report(), labels=polish))[1])
    assert "3,67\nσ 1,25 (2–5)" in text
    assert "3,7 (n=3)" in text  # the chart's label
    assert "2026-06-02 17:30" in text  # generated at 15:30 UTC: 17:30 in Warsaw
