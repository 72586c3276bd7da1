"""The after-action report and improvement plan (AAR/IP) of a run as a PDF: data in, bytes out.

Pure: no ORM and no gettext. ``reports.content.report_labels()`` translates the words (the caller runs
it inside ``translation.override``), the report's data comes from ``reports.data``. Sections follow the
AAR/IP order; missing data shows as a sentence in its section and the report's ``problems`` open it.
Long lists are capped (the first ``CAP_*`` with "and N more"): the exports carry everything, and the
PDF stays linear in the size of the run.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reportlab.platypus import Flowable

from reports import charts
from reports.data import ObjectiveResult, PhaseRow, RunReport
from reports.document import FRAME_W, Metadata, Page, Story, build_pdf, title_page

CAP_OBSERVATIONS = 15  # per objective
CAP_INJECTS = 150
CAP_POINTS = 60  # strengths, and areas for improvement
CAP_TEXTS = 25  # free-text answers per objective
CAP_ACTIONS = 300
CAP_MATRIX = 12  # parties in the matrix table; beyond it, the busiest pairs are listed instead
CAP_PAIRS = 40


@dataclass(frozen=True)
class ReportLabels:
    """Every word the PDF prints, already translated. Placeholders use ``str.format`` names."""

    report_title: str  # "After-action report and improvement plan"
    restricted: str  # "RESTRICTED"
    shareable: str  # "Shareable version — no personal names"
    generated: str  # "Generated {date}"
    contents: str
    page: str  # "Page {page}"
    page_of: str  # "Page {page} of {pages}"
    keywords: str  # "after-action report, improvement plan, exercise"
    # sections, in the AAR/IP order
    problems: str
    overview: str
    organisations: str
    timeline: str
    phases: str
    injects: str
    exchange: str
    objectives: str
    analysis: str
    strengths: str
    improvements: str
    reflections: str
    improvement_plan: str
    # overview
    course: str
    cohort: str
    exercise: str
    run: str
    dates: str
    delivery_mode: str
    facilitators: str
    agency: str
    kind: str
    team: str
    people: str
    # timeline
    phase: str
    day: str
    planned: str
    actual: str
    difference: str
    not_ended: str
    not_started: str
    no_phases: str
    inject: str
    status: str
    released: str
    acknowledged: str
    first_message: str
    never: str
    no_injects: str
    # exchange
    from_to: str  # the matrix's corner: "From ↓ / To →"
    messages: str
    median_first_reply: str
    slowest_first_reply: str
    received_nothing: str
    never_answered: str
    no_messages: str
    network_caption: str
    busiest_pairs: str
    # objectives
    objective: str
    observations: str
    average: str
    spread: str  # "Spread (lowest–highest)"
    rating: str
    observation: str
    author: str
    ratings_caption: str
    no_observations: str
    reflection_results: str
    below_threshold: str  # "Fewer respondents than the anonymity threshold ({count}): not shown."
    # strengths and areas
    finding: str
    no_points: str
    # reflections
    respondents: str  # "{respondents} of {members} responded"
    question: str
    answered: str
    mean: str
    free_text: str
    no_objective: str
    anonymous: str
    no_reflections: str
    # improvement plan
    area: str
    action: str
    contact: str
    due: str
    no_actions: str
    and_more: str  # "… and {count} more (the exports carry everything)."
    none: str  # "—"


class _Format:
    """Times in the report's time zone, durations as h:mm:ss: the same in every language."""

    def __init__(self, report: RunReport, labels: ReportLabels) -> None:
        self.zone = ZoneInfo(report.timezone or "UTC")
        self.labels = labels

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(self.zone) if value.tzinfo else value

    def when(self, value: dt.datetime | None, *, fallback: str | None = None) -> str:
        if value is None:
            return self.labels.none if fallback is None else fallback
        return self.local(value).strftime("%Y-%m-%d %H:%M")

    def time(self, value: dt.datetime | None) -> str:
        return self.labels.none if value is None else self.local(value).strftime("%H:%M")

    def date(self, value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return self.labels.none
        if isinstance(value, dt.datetime):
            value = self.local(value)
        return value.strftime("%Y-%m-%d")

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return self.labels.none
        sign = "-" if seconds < 0 else ""
        total = round(abs(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"

    def number(self, value: float | None, digits: int = 2) -> str:
        return self.labels.none if value is None else f"{value:.{digits}f}"

    def more(self, total: int, shown: int) -> str | None:
        return self.labels.and_more.format(count=total - shown) if total > shown else None


def _capped(story: Story, fmt: _Format, total: int, shown: int) -> None:
    more = fmt.more(total, shown)
    if more:
        story.para(more, "small")


# --- sections ------------------------------------------------------------------------------------------


def _problems(story: Story, report: RunReport, labels: ReportLabels) -> None:
    if not report.problems:
        return
    story.heading(labels.problems)
    story.bullets(report.problems, style="problem")


def _overview(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    o = report.overview
    story.heading(labels.overview)
    rows = [
        (labels.course, o.course),
        (labels.cohort, o.cohort),
        (labels.exercise, o.exercise),
        (labels.run, o.run),
        (labels.dates, f"{fmt.when(o.starts)} – {fmt.when(o.ends)}"),
        (labels.delivery_mode, o.delivery_mode or labels.none),
    ]
    if not report.shareable:
        rows.append((labels.facilitators, ", ".join(o.facilitators) or labels.none))
    story.pairs(rows)
    story.heading(labels.organisations, level=1)
    story.table(
        [labels.agency, labels.kind, labels.team, labels.people],
        [(a.agency, a.kind, a.team, a.people) for a in o.agencies],
        widths=[FRAME_W * 0.4, FRAME_W * 0.2, FRAME_W * 0.28, FRAME_W * 0.12],
        empty=labels.none,
    )


def _phase_day(phase: PhaseRow, fmt: _Format) -> dt.date | None:
    if phase.day is not None:
        return phase.day
    moment = phase.planned_start or phase.started_at
    return fmt.local(moment).date() if moment else None


def _hours(value: dt.datetime, day: dt.date, fmt: _Format) -> float:
    local = fmt.local(value)
    return (local.date() - day).days * 24 + local.hour + local.minute / 60 + local.second / 3600


def gantt_lanes(phases: Sequence[PhaseRow], fmt: _Format) -> list[charts.GanttLane]:
    """One lane per day, the phases of that day in their order; a phase with no day goes last."""
    by_day: dict[dt.date | None, list[charts.GanttBar]] = defaultdict(list)
    for phase in phases:
        day = _phase_day(phase, fmt)
        if day is None:
            by_day[None].append(charts.GanttBar(phase.name))
            continue
        planned = None
        if phase.planned_start is not None:
            start = _hours(phase.planned_start, day, fmt)
            planned = (start, start + phase.planned_minutes / 60)
        started = _hours(phase.started_at, day, fmt) if phase.started_at else None
        ended = _hours(phase.ended_at, day, fmt) if phase.ended_at and phase.started_at else None
        by_day[day].append(charts.GanttBar(phase.name, planned=planned, actual_start=started, actual_end=ended))
    days = sorted(d for d in by_day if d is not None)
    lanes = [charts.GanttLane(fmt.date(d), tuple(by_day[d])) for d in days]
    if None in by_day:
        lanes.append(charts.GanttLane(fmt.labels.none, tuple(by_day[None])))
    return lanes


def _timeline(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    timeline = report.timeline
    story.heading(labels.timeline)
    story.heading(labels.phases, level=1)
    words = charts.GanttWords(labels.planned, labels.actual, labels.not_ended, labels.no_phases)
    story.figure(charts.gantt(gantt_lanes(timeline.phases, fmt), words=words, width=FRAME_W))
    rows = []
    for phase in timeline.phases:
        if phase.started_at is None:
            actual = labels.not_started
        elif phase.ended_at is None:
            actual = f"{fmt.time(phase.started_at)} – ({labels.not_ended})"
        else:
            actual = f"{fmt.time(phase.started_at)} – {fmt.time(phase.ended_at)} ({fmt.duration(phase.actual_seconds)})"
        planned = f"{fmt.time(phase.planned_start)} ({fmt.duration(phase.planned_minutes * 60)})"
        difference = None if phase.actual_seconds is None else phase.actual_seconds - phase.planned_minutes * 60
        rows.append((phase.name, fmt.date(_phase_day(phase, fmt)), planned, actual, fmt.duration(difference)))
    story.table(
        [labels.phase, labels.day, labels.planned, labels.actual, labels.difference],
        rows,
        widths=[FRAME_W * 0.28, FRAME_W * 0.15, FRAME_W * 0.17, FRAME_W * 0.28, FRAME_W * 0.12],
    )
    story.heading(labels.injects, level=1)
    rows = []
    for inject in timeline.injects[:CAP_INJECTS]:
        acks = "; ".join(
            f"{a.team}: {fmt.duration(a.seconds) if a.seconds is not None else labels.never}"
            for a in inject.acknowledgements
        )
        first = fmt.time(inject.first_message_at)
        if inject.first_message_at is not None and inject.first_message_team:
            first = f"{first} ({inject.first_message_team})"
        number = "" if inject.number is None else f"{inject.number}. "
        rows.append(
            (f"{number}{inject.title}", inject.status, fmt.when(inject.released_at), acks or labels.none, first)
        )
    story.table(
        [labels.inject, labels.status, labels.released, labels.acknowledged, labels.first_message],
        rows,
        widths=[FRAME_W * 0.27, FRAME_W * 0.11, FRAME_W * 0.17, FRAME_W * 0.3, FRAME_W * 0.15],
        empty=labels.no_injects,
    )
    _capped(story, fmt, len(timeline.injects), min(len(timeline.injects), CAP_INJECTS))


def _exchange(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    ex = report.exchange
    story.heading(labels.exchange)
    if not ex.total:
        story.para(labels.no_messages)
    slowest = fmt.duration(ex.slowest_first_reply_seconds)
    if ex.slowest_pair and ex.slowest_first_reply_seconds is not None:
        slowest = f"{slowest} ({ex.slowest_pair[0]} → {ex.slowest_pair[1]})"
    story.pairs(
        [
            (labels.messages, ex.total),
            (labels.median_first_reply, fmt.duration(ex.median_first_reply_seconds)),
            (labels.slowest_first_reply, slowest),
            (labels.received_nothing, ", ".join(ex.received_nothing) or labels.none),
            (labels.never_answered, ", ".join(ex.never_answered) or labels.none),
        ],
        key_width=0.35,
    )
    n = len(ex.parties)
    counts = [list(row[:n]) + [0] * (n - len(row)) for row in ex.counts[:n]]
    if not ex.total or not n:
        return
    if n <= CAP_MATRIX:
        first_w = FRAME_W * 0.22
        cell_w = (FRAME_W - first_w) / n
        header = [labels.from_to, *[f"{i + 1}" for i in range(n)]]
        rows = [[f"{i + 1}. {party}", *[c or "" for c in counts[i]]] for i, party in enumerate(ex.parties)]
        story.table(header, rows, widths=[first_w, *[cell_w] * n])
    else:
        pairs = sorted(
            ((counts[i][j], ex.parties[i], ex.parties[j]) for i in range(n) for j in range(n) if counts[i][j]),
            key=lambda p: (-p[0], p[1], p[2]),
        )
        story.sub(labels.busiest_pairs)
        story.table(
            [labels.from_to, "", labels.messages],
            [(a, b, c) for c, a, b in pairs[:CAP_PAIRS]],
            widths=[FRAME_W * 0.42, FRAME_W * 0.42, FRAME_W * 0.16],
        )
        _capped(story, fmt, len(pairs), min(len(pairs), CAP_PAIRS))
    edges = [charts.Edge(i, j, counts[i][j]) for i in range(n) for j in range(n) if counts[i][j]]
    story.figure(charts.network(ex.parties, edges, no_data=labels.no_messages, width=FRAME_W), labels.network_caption)


def _spread(objective: ObjectiveResult, fmt: _Format) -> str:
    if objective.minimum is None or objective.maximum is None:
        return fmt.labels.none
    spread = f"{objective.minimum}–{objective.maximum}"
    return f"{spread} (σ {objective.std_dev:.2f})" if objective.std_dev is not None else spread


def _objectives(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    story.heading(labels.objectives)
    bars = [
        charts.RatingBar(
            o.objective,
            o.average,
            low=None if o.minimum is None else float(o.minimum),
            high=None if o.maximum is None else float(o.maximum),
            count=sum(t.observations for t in o.teams) or len(o.observations),
        )
        for o in report.objectives
    ]
    story.figure(
        charts.rating_bars(
            bars, scale_max=report.rating_scale, scale_min=1, no_data=labels.no_observations, width=FRAME_W
        ),
        labels.ratings_caption,
    )
    story.table(
        [labels.objective, labels.observations, labels.average, labels.spread],
        [(o.objective, len(o.observations), fmt.number(o.average), _spread(o, fmt)) for o in report.objectives],
        widths=[FRAME_W * 0.5, FRAME_W * 0.15, FRAME_W * 0.12, FRAME_W * 0.23],
        empty=labels.no_observations,
    )
    for objective in report.objectives:
        story.heading(objective.objective, level=1)
        story.table(
            [labels.team, labels.observations, labels.average],
            [(t.team, t.observations, fmt.number(t.average)) for t in objective.teams],
            widths=[FRAME_W * 0.6, FRAME_W * 0.2, FRAME_W * 0.2],
        )
        shown = objective.observations[:CAP_OBSERVATIONS]
        header = [labels.team, labels.rating, labels.observation]
        widths = [FRAME_W * 0.22, FRAME_W * 0.1, FRAME_W * 0.68]
        if not report.shareable:
            header.append(labels.author)
            widths = [FRAME_W * 0.2, FRAME_W * 0.08, FRAME_W * 0.54, FRAME_W * 0.18]
        rows = []
        for o in shown:
            row: list[object] = [o.team or labels.none, labels.none if o.rating is None else o.rating, o.text]
            if not report.shareable:
                row.append(o.author or labels.none)
            rows.append(row)
        story.table(header, rows, widths=widths, empty=labels.no_observations)
        _capped(story, fmt, len(objective.observations), len(shown))
        if objective.reflections_hidden:
            story.para(labels.below_threshold.format(count=report.reflections.min_respondents), "small")
        elif objective.reflections:
            story.sub(labels.reflection_results)
            story.table(
                [labels.question, labels.answered, labels.mean],
                [(r.question, r.answered, fmt.number(r.mean)) for r in objective.reflections],
                widths=[FRAME_W * 0.66, FRAME_W * 0.17, FRAME_W * 0.17],
            )


def _points(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    story.heading(labels.analysis)
    for title, points in ((labels.strengths, report.strengths), (labels.improvements, report.improvements)):
        story.heading(title, level=1)
        shown = points[:CAP_POINTS]
        story.table(
            [labels.finding, labels.team, labels.objective],
            [(p.text, p.team or labels.none, p.objective or labels.none) for p in shown],
            widths=[FRAME_W * 0.56, FRAME_W * 0.2, FRAME_W * 0.24],
            empty=labels.no_points,
        )
        _capped(story, fmt, len(points), len(shown))


def _reflections(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    ref = report.reflections
    story.heading(labels.reflections)
    if not ref.respondents:
        story.para(labels.no_reflections)
        return
    story.para(labels.respondents.format(respondents=ref.respondents, members=ref.members))
    if not ref.shown:
        story.para(labels.below_threshold.format(count=ref.min_respondents))
        return
    for question in ref.questions:
        if not question.bars:
            continue
        caption = f"{labels.answered}: {question.answered}"
        if question.mean is not None:
            caption += f" · {labels.mean}: {fmt.number(question.mean)}"
        story.sub(question.question)
        chart = charts.distribution(
            [b.label for b in question.bars],
            [b.count for b in question.bars],
            no_data=labels.no_reflections,
            width=FRAME_W,
        )
        story.figure(chart, caption)
    if ref.texts:
        story.heading(labels.free_text, level=1)
    for group in ref.texts:
        story.sub(group.objective or labels.no_objective)
        shown = group.answers[:CAP_TEXTS]
        for answer in shown:
            author = labels.anonymous if report.shareable or not answer.author else answer.author
            story.bullets([f"{answer.text} — {author}"])
        _capped(story, fmt, len(group.answers), len(shown))


def _plan(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    story.heading(labels.improvement_plan)
    shown = report.actions[:CAP_ACTIONS]
    story.table(
        [labels.area, labels.action, labels.agency, labels.contact, labels.due, labels.status],
        [
            (
                a.area,
                a.action,
                a.agency or labels.none,
                labels.none if report.shareable else (a.contact or labels.none),
                fmt.date(a.due),
                a.status,
            )
            for a in shown
        ],
        widths=[FRAME_W * 0.2, FRAME_W * 0.28, FRAME_W * 0.16, FRAME_W * 0.14, FRAME_W * 0.11, FRAME_W * 0.11],
        empty=labels.no_actions,
    )
    _capped(story, fmt, len(report.actions), len(shown))


# --- the document ----------------------------------------------------------------------------------------


def run_report_story(report: RunReport, labels: ReportLabels) -> Story:
    """The sections, in the AAR/IP order (reusable by a cohort report)."""
    fmt = _Format(report, labels)
    story = Story()
    _problems(story, report, labels)
    _overview(story, report, labels, fmt)
    _timeline(story, report, labels, fmt)
    _exchange(story, report, labels, fmt)
    _objectives(story, report, labels, fmt)
    _points(story, report, labels, fmt)
    _reflections(story, report, labels, fmt)
    _plan(story, report, labels, fmt)
    return story


def _front(report: RunReport, labels: ReportLabels, marking: str) -> list[Flowable]:
    o = report.overview
    fmt = _Format(report, labels)
    lines = [o.course, f"{labels.cohort}: {o.cohort}", f"{labels.exercise}: {o.exercise}"]
    if o.run:
        lines.append(f"{labels.run}: {o.run}")
    lines.append(f"{fmt.date(o.starts)} – {fmt.date(o.ends)}")
    return title_page(
        title=labels.report_title,
        lines=lines,
        marking=marking,
        generated=labels.generated.format(date=fmt.when(report.generated_at)),
        contents_title=labels.contents,
    )


def render_run_report(report: RunReport, *, labels: ReportLabels, invariant: bool = False) -> bytes:
    """The report's PDF. ``invariant`` makes the bytes depend on the data only (tests, golden files)."""
    marking = labels.shareable if report.shareable else labels.restricted
    story = run_report_story(report, labels)
    o = report.overview
    metadata = Metadata(
        title=f"{labels.report_title}: {o.exercise} — {o.cohort}",
        author=report.issuer or "Concord",
        subject=f"{o.course} — {o.cohort}",
        keywords=[*[k.strip() for k in labels.keywords.split(",") if k.strip()], marking],
    )
    return build_pdf(
        story,
        front=_front(report, labels, marking),
        page=Page(marking=marking, page=labels.page, page_of=labels.page_of),
        metadata=metadata,
        invariant=invariant,
    )
