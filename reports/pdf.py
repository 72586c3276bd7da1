"""The after-action report and improvement plan (AAR/IP) of a run, and the cohort report, as PDFs.

Pure: data in (``reports.data``), bytes out; no ORM and no gettext. ``reports.content.report_labels()``
translates the words (the caller runs it inside ``translation.override``). Sections follow the AAR/IP
order; missing data shows as a sentence in its section, and the report's ``problems`` open it. Long
lists are capped (the first ``CAP_*`` with "and N more"): the exports carry everything, and the PDF
stays linear in the size of the run. ``reports.document`` lays the pages out, ``reports.charts`` draws.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reports import charts
from reports.data import (
    PHASE_NEVER_ENDED,
    PHASE_NOT_STARTED,
    PHASE_RUNNING,
    CohortReport,
    PhaseRow,
    ReflectionSet,
    RunReport,
    SlowReply,
    Stats,
)
from reports.document import FRAME_W, Metadata, Page, Story, build_pdf, title_page

RATING_MAX = 5  # an observation's rating runs from 1 to 5 (conduct.Observation's constraint)
CAP_OBSERVATIONS = 15  # per objective
CAP_INJECTS = 150
CAP_FINDINGS = 60  # strengths, and areas for improvement
CAP_TEXTS = 25  # free-text answers per question
CAP_ACTIONS = 300
CAP_MATRIX = 12  # columns of the matrix table; beyond it, the busiest pairs are listed instead
CAP_PAIRS = 40
RATING_ROWS = 35  # objectives per ratings chart
CAP_NETWORK = 24  # nodes of the network diagram; beyond it, only its busiest nodes are drawn


@dataclass(frozen=True)
class ReportLabels:
    """Every word the PDF prints, already translated (``str.format`` placeholders), the decimal
    separator, the time zone times are shown in, and the issuer named in the PDF's metadata."""

    report_title: str  # "After-action report and improvement plan"
    cohort_report_title: str  # "Cohort report"
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
    runs: str
    # overview
    course: str
    cohort: str
    exercise: str
    run_status: str
    dates: str
    planned_start: str
    delivery_mode: str
    venue: str
    facilitators: str
    teams: str
    agency: str
    kind: str
    team: str
    people: str
    planned_size: str
    # timeline
    phase: str
    lane: str
    planned: str
    actual: str
    difference: str
    paused: str
    totals: str  # "Planned {planned}, played {actual}, paused {paused}."
    not_ended: str
    running: str
    not_started: str
    no_phases: str
    inject: str
    status: str
    released: str
    acknowledged: str
    median_ack: str
    first_message: str
    never: str
    no_injects: str
    # exchange
    from_to: str  # the matrix's corner: "From ↓ / To →"
    messages: str
    deliveries: str
    read: str
    replied: str
    median_first_reply: str
    slowest_first_reply: str
    received_nothing: str
    never_answered: str
    no_messages: str
    matrix_caption: str
    network_caption: str
    busiest_pairs: str
    # objectives
    objective: str
    no_objective: str
    observations: str
    rated: str
    average: str
    spread: str  # "Spread: σ (lowest–highest)"
    rating: str
    observation: str
    author: str
    ratings_caption: str
    no_observations: str
    reflection_results: str
    questionnaire: str
    question: str
    answered: str
    mean: str
    # strengths and areas
    finding: str
    no_findings: str
    # reflections
    respondents: str  # "{respondents} of {members} responded."
    below_threshold: str  # "Fewer respondents than the anonymity threshold ({count}): results are not shown."
    anonymous: str  # "Anonymous"
    free_text: str
    prepost: str
    before: str
    after: str
    change: str
    no_reflections: str
    # improvement plan
    area: str
    action: str
    contact: str
    due: str
    no_actions: str
    # cohort report
    started: str
    pooled: str
    no_runs: str
    and_more: str  # "… and {count} more (the exports carry everything)."
    none: str  # "—"
    decimal: str = "."  # the language's decimal separator
    timezone: str = "UTC"
    issuer: str = "Concord"


class _Format:
    """Times in the labels' time zone and ISO order, durations as h:mm:ss: the same in every language."""

    def __init__(self, labels: ReportLabels) -> None:
        self.zone = ZoneInfo(labels.timezone or "UTC")
        self.labels = labels

    def local(self, value: dt.datetime) -> dt.datetime:
        """In the report's zone; a naive time (the data promises none) is taken as UTC, not compared raw."""
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(self.zone)

    def when(self, value: dt.datetime | None) -> str:
        return self.labels.none if value is None else self.local(value).strftime("%Y-%m-%d %H:%M")

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

    def number(self, value: float | None, spec: str = ".2f") -> str:
        return self.labels.none if value is None else format(value, spec).replace(".", self.labels.decimal)

    def spread(self, stats: Stats) -> str:
        if stats.minimum is None or stats.maximum is None:
            return self.labels.none
        sigma = "" if stats.stdev is None else f"σ {self.number(stats.stdev)} "
        return f"{sigma}({stats.minimum}–{stats.maximum})"

    def slowest(self, slow: SlowReply | None) -> str:
        if slow is None:
            return self.labels.none
        return f"{self.duration(slow.seconds)} ({slow.sender} → {slow.recipient}, {self.when(slow.sent_at)})"

    def names(self, values: Sequence[str]) -> str:
        return ", ".join(values) or self.labels.none


def _capped(story: Story, fmt: _Format, total: int, shown: int) -> None:
    if total > shown:
        story.para(fmt.labels.and_more.format(count=total - shown), "small")


def _w(*fractions: float) -> list[float]:
    return [FRAME_W * f for f in fractions]


# --- sections ------------------------------------------------------------------------------------------


def _problems(story: Story, problems: Sequence[str], labels: ReportLabels) -> None:
    if problems:
        story.heading(labels.problems)
        story.bullets(problems, style="problem")


def _overview(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    o = report.overview
    story.heading(labels.overview)
    story.pairs(
        [
            (labels.course, o.course),
            (labels.cohort, o.cohort),
            (labels.exercise, o.exercise),
            (labels.run_status, o.status),
            (labels.planned_start, fmt.when(o.planned_start)),
            (labels.dates, f"{fmt.when(o.started_at)} – {fmt.when(o.finished_at)}"),
            (labels.delivery_mode, o.delivery_mode or labels.none),
            (labels.venue, o.venue or labels.none),
            # a shareable report counts the facilitators: their names must not reach it even if the data has them
            (labels.facilitators, len(o.facilitators) if report.shareable else fmt.names(o.facilitators)),
            (labels.people, o.people),
        ]
    )
    story.heading(labels.organisations, level=1)
    story.table(
        [labels.agency, labels.kind, labels.people],
        [(a.name, a.kind, a.people) for a in o.agencies],
        widths=_w(0.55, 0.3, 0.15),
        empty=labels.none,
    )
    story.sub(labels.teams)
    story.table(
        [labels.team, labels.agency, labels.people, labels.planned_size],
        [(t.label, t.agency, t.people, labels.none if t.planned is None else t.planned) for t in o.teams],
        widths=_w(0.45, 0.3, 0.12, 0.13),
        empty=labels.none,
    )


def _lane_day(phases: Sequence[PhaseRow], fmt: _Format) -> dt.date | None:
    moments = [fmt.local(m) for p in phases for m in (p.planned_start, p.started_at) if m is not None]
    return min(moments).date() if moments else None


def _hours(value: dt.datetime, day: dt.date, fmt: _Format) -> float:
    local = fmt.local(value)
    return (local.date() - day).days * 24 + local.hour + local.minute / 60 + local.second / 3600


def gantt_lanes(lanes: Sequence[str], phases: Sequence[PhaseRow], fmt: _Format) -> list[charts.GanttLane]:
    """One lane per session (day) in the timeline's order, hours counted from that day's midnight."""
    by_lane: dict[str, list[PhaseRow]] = defaultdict(list)
    for phase in phases:
        by_lane[phase.lane].append(phase)
    order = [*lanes, *[lane for lane in by_lane if lane not in lanes]]
    result = []
    for lane in order:
        rows = by_lane.get(lane, [])
        day = _lane_day(rows, fmt)
        bars = []
        for phase in rows:
            if day is None:
                bars.append(charts.GanttBar(phase.name))
                continue
            planned = None
            if phase.planned_start is not None:
                start = _hours(phase.planned_start, day, fmt)
                planned = (start, start + phase.planned_seconds / 3600)
            started = _hours(phase.started_at, day, fmt) if phase.started_at else None
            ended = _hours(phase.ended_at, day, fmt) if phase.started_at and phase.ended_at else None
            bars.append(charts.GanttBar(phase.name, planned=planned, actual_start=started, actual_end=ended))
        title = " · ".join(part for part in (lane, fmt.date(day) if day else "") if part) or fmt.labels.none
        result.append(charts.GanttLane(title, tuple(bars)))
    return result


def _phase_actual(phase: PhaseRow, labels: ReportLabels, fmt: _Format) -> str:
    if phase.state == PHASE_NOT_STARTED or phase.started_at is None:
        return labels.not_started
    if phase.state in (PHASE_NEVER_ENDED, PHASE_RUNNING) or phase.ended_at is None:
        word = labels.running if phase.state == PHASE_RUNNING else labels.not_ended
        return f"{fmt.time(phase.started_at)} – ({word})"
    return f"{fmt.time(phase.started_at)} – {fmt.time(phase.ended_at)} ({fmt.duration(phase.actual_seconds)})"


def _timeline(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    timeline = report.timeline
    story.heading(labels.timeline)
    story.heading(labels.phases, level=1)
    words = charts.GanttWords(labels.planned, labels.actual, labels.not_ended, labels.no_phases)
    groups = charts.gantt_pages(gantt_lanes(timeline.lanes, timeline.phases, fmt)) or [[]]
    for group in groups:
        story.figure(charts.gantt(group, words=words, width=FRAME_W))
    story.table(
        [labels.phase, labels.lane, labels.planned, labels.actual, labels.paused, labels.difference],
        [
            (
                phase.name,
                phase.lane or labels.none,
                f"{fmt.time(phase.planned_start)} ({fmt.duration(phase.planned_seconds)})",
                _phase_actual(phase, labels, fmt),
                fmt.duration(phase.paused_seconds) if phase.pauses else labels.none,
                fmt.duration(phase.difference_seconds),
            )
            for phase in timeline.phases
        ],
        widths=_w(0.24, 0.14, 0.16, 0.24, 0.1, 0.12),
    )
    if timeline.phases:
        story.para(
            labels.totals.format(
                planned=fmt.duration(timeline.planned_seconds),
                actual=fmt.duration(timeline.actual_seconds),
                paused=fmt.duration(timeline.paused_seconds),
            ),
            "small",
        )
    story.heading(labels.injects, level=1)
    rows = []
    for inject in timeline.injects[:CAP_INJECTS]:
        acks = "; ".join(
            f"{a.team}: {labels.never if a.seconds is None else fmt.duration(a.seconds)}" for a in inject.acks
        )
        if inject.median_ack_seconds is not None:
            acks += f" ({labels.median_ack}: {fmt.duration(inject.median_ack_seconds)})"
        first = labels.none
        if inject.first_message is not None:
            message = inject.first_message
            first = f"{fmt.time(message.sent_at)}, +{fmt.duration(message.seconds)} ({message.sender})"
            if message.subject:
                first += f": {message.subject}"
        number = "" if inject.number is None else f"{inject.number}. "
        rows.append(
            (f"{number}{inject.title}", inject.status, fmt.when(inject.released_at), acks or labels.none, first)
        )
    story.table(
        [labels.inject, labels.status, labels.released, labels.acknowledged, labels.first_message],
        rows,
        widths=_w(0.24, 0.1, 0.15, 0.29, 0.22),
        empty=labels.no_injects,
    )
    _capped(story, fmt, len(timeline.injects), len(rows))


def _exchange(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    ex = report.exchange
    story.heading(labels.exchange)
    if not ex.messages:
        story.para(labels.no_messages)
    story.pairs(
        [
            (labels.messages, ex.messages),
            (labels.deliveries, ex.deliveries),
            (labels.read, ex.read),
            (labels.replied, ex.replied),
            (labels.median_first_reply, fmt.duration(ex.median_first_reply_seconds)),
            (labels.slowest_first_reply, fmt.slowest(ex.slowest_first_reply)),
            (labels.received_nothing, fmt.names(ex.received_nothing)),
            (labels.never_answered, fmt.names(ex.never_answered)),
        ],
        key_width=0.35,
    )
    if not ex.messages or not ex.rows:
        return
    n = len(ex.columns)
    if n <= CAP_MATRIX:
        first_w = FRAME_W * 0.25
        cell_w = (FRAME_W - first_w) / max(n, 1)
        story.table(
            [labels.from_to, *[f"{i + 1}" for i in range(n)]],
            [
                [line.sender, *["" if c is None else c.count for c in line.cells[:n]], *[""] * (n - len(line.cells))]
                for line in ex.rows
            ],
            widths=[first_w, *[cell_w] * n],
        )
        story.para(
            labels.matrix_caption + " " + "; ".join(f"{i + 1} = {name}" for i, name in enumerate(ex.columns)),
            "small",
        )
    else:
        pairs = sorted(((e.count, e.sender, e.recipient) for e in ex.edges), key=lambda p: (-p[0], p[1], p[2]))
        story.sub(labels.busiest_pairs)
        story.table(
            [labels.from_to, "", labels.messages],
            [(sender, recipient, count) for count, sender, recipient in pairs[:CAP_PAIRS]],
            widths=_w(0.42, 0.42, 0.16),
        )
        _capped(story, fmt, len(pairs), min(len(pairs), CAP_PAIRS))
    nodes = list(ex.nodes)
    if len(nodes) > CAP_NETWORK:
        weight: dict[str, int] = defaultdict(int)
        for e in ex.edges:
            weight[e.sender] += e.count
            weight[e.recipient] += e.count
        keep = set(sorted(nodes, key=lambda name: (-weight[name], name))[:CAP_NETWORK])
        nodes = [name for name in nodes if name in keep]
    index = {name: i for i, name in enumerate(nodes)}
    edges = [
        charts.Edge(index[e.sender], index[e.recipient], e.count)
        for e in ex.edges
        if e.sender in index and e.recipient in index
    ]
    story.figure(charts.network(nodes, edges, no_data=labels.no_messages, width=FRAME_W), labels.network_caption)


def _rating_figures(story: Story, bars: Sequence[charts.RatingBar], labels: ReportLabels) -> None:
    """The average ratings, in charts of at most ``RATING_ROWS`` objectives (a drawing cannot split)."""
    for start in range(0, max(len(bars), 1), RATING_ROWS):
        chart = charts.rating_bars(
            bars[start : start + RATING_ROWS],
            scale_max=RATING_MAX,
            scale_min=1,
            decimal=labels.decimal,
            no_data=labels.no_observations,
            width=FRAME_W,
        )
        story.figure(chart, labels.ratings_caption)


def _objective_title(code: str, label: str, labels: ReportLabels) -> str:
    """The objective's code and label, once: the selectors' label may already start with the code."""
    if code and label.startswith(code):
        return label
    return " ".join(part for part in (code, label) if part) or labels.no_objective


def _objectives(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    story.heading(labels.objectives)
    sections = report.objectives
    bars = [
        charts.RatingBar(
            _objective_title(o.code, o.label, labels),
            o.ratings.mean,
            low=None if o.ratings.minimum is None else float(o.ratings.minimum),
            high=None if o.ratings.maximum is None else float(o.ratings.maximum),
            count=o.ratings.count,
        )
        for o in sections
    ]
    _rating_figures(story, bars, labels)
    story.table(
        [labels.objective, labels.observations, labels.rated, labels.average, labels.spread],
        [
            (
                _objective_title(o.code, o.label, labels),
                len(o.observations),
                o.ratings.count,
                fmt.number(o.ratings.mean),
                fmt.spread(o.ratings),
            )
            for o in sections
        ],
        widths=_w(0.42, 0.15, 0.1, 0.11, 0.22),
        empty=labels.no_observations,
    )
    for section in sections:
        story.heading(_objective_title(section.code, section.label, labels), level=1)
        story.table(
            [labels.team, labels.observations, labels.rated, labels.average, labels.spread],
            [
                (t.team, t.notes, t.ratings.count, fmt.number(t.ratings.mean), fmt.spread(t.ratings))
                for t in section.by_team
            ],
            widths=_w(0.38, 0.16, 0.1, 0.12, 0.24),
        )
        shown = section.observations[:CAP_OBSERVATIONS]
        named = not report.shareable
        header = [labels.team, labels.rating, labels.observation] + ([labels.author] if named else [])
        rows = [
            [o.team or labels.none, labels.none if o.rating is None else o.rating, o.text]
            + ([o.author or labels.none] if named else [])
            for o in shown
        ]
        story.table(
            header,
            rows,
            widths=_w(0.2, 0.08, 0.54, 0.18) if named else _w(0.22, 0.1, 0.68),
            empty=labels.no_observations,
        )
        _capped(story, fmt, len(section.observations), len(shown))
        if section.reflections:
            story.sub(labels.reflection_results)
            story.table(
                [labels.questionnaire, labels.question, labels.answered, labels.mean],
                [
                    (r.administration, r.question, r.answered, f"{fmt.number(r.mean)} / {r.scale_max}")
                    for r in section.reflections
                ],
                widths=_w(0.25, 0.45, 0.13, 0.17),
            )


def _findings(story: Story, report: RunReport, labels: ReportLabels, fmt: _Format) -> None:
    story.heading(labels.analysis)
    for title, findings in ((labels.strengths, report.strengths), (labels.improvements, report.improvements)):
        story.heading(title, level=1)
        shown = findings[:CAP_FINDINGS]
        story.table(
            [labels.finding, labels.team, labels.objective, labels.rating],
            [
                (
                    f.text,
                    f.team or labels.none,
                    f.objective or labels.none,
                    labels.none if f.rating is None else f.rating,
                )
                for f in shown
            ],
            widths=_w(0.5, 0.18, 0.22, 0.1),
            empty=labels.no_findings,
        )
        _capped(story, fmt, len(findings), len(shown))


def _reflection_sets(story: Story, sets: Sequence[ReflectionSet], labels: ReportLabels, fmt: _Format) -> None:
    story.heading(labels.reflections)
    if not sets:
        story.para(labels.no_reflections)
        return
    for ref in sets:
        story.heading(" · ".join(part for part in (ref.title, ref.stage) if part) or labels.reflections, level=1)
        counts = labels.respondents.format(respondents=ref.respondents, members=ref.members)
        story.para(f"{counts} {labels.anonymous}" if ref.anonymous else counts)
        if not ref.shown:
            story.para(labels.below_threshold.format(count=ref.min_respondents))
            continue
        for question in ref.questions:
            if not question.bars:
                continue
            caption = f"{labels.answered}: {question.answered}"
            if question.mean is not None:
                caption += f" · {labels.mean}: {fmt.number(question.mean)}"
            if question.objective:
                caption += f" · {labels.objective}: {question.objective}"
            chart = charts.distribution(
                [b.label for b in question.bars],
                [b.count for b in question.bars],
                no_data=labels.no_reflections,
                width=FRAME_W,
            )
            story.sub(question.question)
            story.figure(chart, caption)
        if ref.prepost:
            story.sub(labels.prepost)
            story.table(
                [labels.objective, labels.before, labels.after, labels.change],
                [
                    (c.objective, fmt.number(c.before), fmt.number(c.after), fmt.number(c.change, "+.2f"))
                    for c in ref.prepost
                ],
                widths=_w(0.55, 0.15, 0.15, 0.15),
            )
        if ref.texts:
            story.sub(labels.free_text)
        for group in ref.texts:
            story.para(f"{group.objective or labels.no_objective} — {group.question}", "h3")
            shown = group.answers[:CAP_TEXTS]
            story.bullets(shown)  # answers never carry a name (reports.data.TextGroup)
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
        widths=_w(0.2, 0.28, 0.16, 0.14, 0.11, 0.11),
        empty=labels.no_actions,
    )
    _capped(story, fmt, len(report.actions), len(shown))


# --- the documents ---------------------------------------------------------------------------------------


def _marking(shareable: bool, labels: ReportLabels) -> str:
    return labels.shareable if shareable else labels.restricted


def _keywords(labels: ReportLabels, marking: str) -> list[str]:
    return [*[k.strip() for k in labels.keywords.split(",") if k.strip()], marking]


def run_report_story(report: RunReport, labels: ReportLabels) -> Story:
    """The run's sections, in the AAR/IP order."""
    fmt = _Format(labels)
    story = Story()
    _problems(story, report.problems, labels)
    _overview(story, report, labels, fmt)
    _timeline(story, report, labels, fmt)
    _exchange(story, report, labels, fmt)
    _objectives(story, report, labels, fmt)
    _findings(story, report, labels, fmt)
    _reflection_sets(story, report.reflections, labels, fmt)
    _plan(story, report, labels, fmt)
    return story


def render_run_report(report: RunReport, *, labels: ReportLabels, invariant: bool = False) -> bytes:
    """The run's AAR/IP PDF. ``invariant`` makes the bytes depend on the data only (tests, golden files)."""
    fmt = _Format(labels)
    o = report.overview
    marking = _marking(report.shareable, labels)
    lines = [o.title or o.exercise, o.course, f"{labels.cohort}: {o.cohort}", f"{labels.exercise}: {o.exercise}"]
    lines.append(f"{fmt.date(o.started_at or o.planned_start)} – {fmt.date(o.finished_at)}")
    front = title_page(
        title=labels.report_title,
        lines=lines,
        marking=marking,
        generated=labels.generated.format(date=fmt.when(report.generated_at)),
        contents_title=labels.contents,
    )
    metadata = Metadata(
        title=f"{labels.report_title}: {o.exercise} — {o.cohort}",
        author=labels.issuer,
        subject=f"{o.course} — {o.cohort}",
        keywords=_keywords(labels, marking),
    )
    page = Page(marking=marking, page=labels.page, page_of=labels.page_of)
    return build_pdf(run_report_story(report, labels), front=front, page=page, metadata=metadata, invariant=invariant)


def _cohort_story(report: CohortReport, labels: ReportLabels) -> Story:
    fmt = _Format(labels)
    story = Story()
    _problems(story, report.problems, labels)
    story.heading(labels.runs)
    story.table(
        [
            labels.exercise,
            labels.run_status,
            labels.started,
            labels.teams,
            labels.people,
            labels.messages,
            labels.observations,
            labels.median_first_reply,
        ],
        [
            (
                run.exercise,
                run.status,
                fmt.when(run.started_at),
                run.teams,
                run.people,
                run.messages,
                run.observations,
                fmt.duration(run.median_first_reply_seconds),
            )
            for run in report.runs
        ],
        widths=_w(0.2, 0.1, 0.15, 0.07, 0.08, 0.11, 0.14, 0.15),
        empty=labels.no_runs,
    )
    story.heading(labels.exchange)
    story.pairs(
        [
            (labels.messages, report.messages),
            (labels.deliveries, report.deliveries),
            (labels.replied, report.replied),
            (labels.median_first_reply, fmt.duration(report.median_first_reply_seconds)),
            (labels.slowest_first_reply, fmt.slowest(report.slowest_first_reply)),
        ],
        key_width=0.35,
    )
    story.heading(labels.objectives)
    titles = [_objective_title(o.code, o.label, labels) for o in report.objectives]
    bars = [
        charts.RatingBar(
            title,
            o.ratings.mean,
            low=None if o.ratings.minimum is None else float(o.ratings.minimum),
            high=None if o.ratings.maximum is None else float(o.ratings.maximum),
            count=o.ratings.count,
        )
        for title, o in zip(titles, report.objectives, strict=True)
    ]
    _rating_figures(story, bars, labels)
    exercise_of = {run.run_id: run.exercise for run in report.runs}
    rows: list[tuple[object, ...]] = []
    for title, o in zip(titles, report.objectives, strict=True):
        rows.append((title, labels.pooled, o.ratings.count, fmt.number(o.ratings.mean), fmt.spread(o.ratings)))
        rows.extend(
            ("", exercise_of.get(run_id, str(run_id)), s.count, fmt.number(s.mean), fmt.spread(s))
            for run_id, s in o.by_run
        )
    story.table(
        [labels.objective, labels.exercise, labels.rated, labels.average, labels.spread],
        rows,
        widths=_w(0.32, 0.24, 0.1, 0.12, 0.22),
        empty=labels.no_observations,
    )
    _reflection_sets(story, report.reflections, labels, fmt)
    return story


def render_cohort_report(report: CohortReport, *, labels: ReportLabels, invariant: bool = False) -> bytes:
    """The cohort's report over all its runs, in the run report's frame and flowables."""
    fmt = _Format(labels)
    marking = labels.restricted
    front = title_page(
        title=labels.cohort_report_title,
        lines=[report.course, f"{labels.cohort}: {report.cohort}"],
        marking=marking,
        generated=labels.generated.format(date=fmt.when(report.generated_at)),
        contents_title=labels.contents,
    )
    metadata = Metadata(
        title=f"{labels.cohort_report_title}: {report.cohort}",
        author=labels.issuer,
        subject=f"{report.course} — {report.cohort}",
        keywords=_keywords(labels, marking),
    )
    page = Page(marking=marking, page=labels.page, page_of=labels.page_of)
    return build_pdf(_cohort_story(report, labels), front=front, page=page, metadata=metadata, invariant=invariant)
