"""The debrief (after-action) report of one exercise run, and of a cohort, as plain frozen data.

No ORM and no Django here: ``reports.selectors`` fills these classes (from ``conduct``'s run summary and
``reflections``' results), and the HTML page, the PDF (``reports.pdf``), the CSV/XLSX exports and the
JSON all read the same objects. Every text is already translated and, in a shareable report, free of
personal names (people are replaced by team or agency labels).

Conventions: times are aware datetimes (UTC in JSON, ISO 8601); durations are whole seconds; a figure
that cannot be computed (nothing rated, nobody replied) is ``None``, never 0. Spreads are the
*population* standard deviation (``statistics.pstdev``) together with the min and max.
``RunReport.to_json()`` / ``RunReport.from_json()`` round-trip exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

# Phase states (PhaseRow.state)
PHASE_DONE, PHASE_RUNNING, PHASE_NOT_STARTED, PHASE_NEVER_ENDED = "done", "running", "not_started", "never_ended"


# --- overview --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    """A team of the run: its label (e.g. "Team 1: Police"), its agency kind's label, and how many
    people were placed in it (``planned`` is the exercise's planned size, None when not set)."""

    id: int
    label: str
    agency: str
    people: int
    planned: int | None = None


@dataclass(frozen=True)
class AgencyRow:
    """A participating agency (an organisation, or in a shareable report its kind) and its people in the run."""

    name: str
    kind: str
    people: int


@dataclass(frozen=True)
class Overview:
    """Title block and "participating organisations": course, cohort, exercise, dates, delivery mode,
    facilitators (names; "Facilitator 1", ... in a shareable report), teams and agencies."""

    run_id: int
    title: str
    course: str
    cohort: str
    exercise: str
    status: str  # translated label of the run's status
    delivery_mode: str  # translated label
    venue: str
    planned_start: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    facilitators: tuple[str, ...]
    teams: tuple[TeamRow, ...]
    agencies: tuple[AgencyRow, ...]

    @property
    def people(self) -> int:
        return sum(team.people for team in self.teams)


# --- timeline --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseRow:
    """A phase planned against played. ``lane`` is the session (day) it is placed in ("" when the run
    has one session): the Gantt chart draws one lane per distinct value, in ``Timeline.lanes`` order.
    ``state`` is one of PHASE_DONE, PHASE_RUNNING, PHASE_NOT_STARTED, PHASE_NEVER_ENDED (the run
    finished or stopped without closing it). Seconds: ``planned_seconds`` includes extensions;
    ``difference_seconds`` = actual - planned (positive: over)."""

    order: int
    name: str
    lane: str
    planned_start: dt.datetime | None
    planned_minutes: int
    extension_minutes: int
    planned_seconds: int
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    actual_seconds: int | None
    paused_seconds: int
    pauses: int
    difference_seconds: int | None
    start_delay_seconds: int | None
    state: str


@dataclass(frozen=True)
class AckRow:
    """One team's acknowledgement of one inject; ``seconds`` from release, None when never acknowledged."""

    team: str
    acknowledged_at: dt.datetime | None
    seconds: int | None


@dataclass(frozen=True)
class RelatedMessage:
    """The first message sent, after an inject's release, by a team that received it (the report's
    definition of "first related message": messages carry no link to injects)."""

    sender: str
    sent_at: dt.datetime
    seconds: int  # after the release
    subject: str  # "" in a shareable report


@dataclass(frozen=True)
class InjectRow:
    """An inject: released, skipped or still pending (then ``released_at`` is None and ``acks`` empty)."""

    number: int | None  # None for an ad-hoc inject
    title: str
    status: str  # "released", "skipped", "pending"
    released_at: dt.datetime | None
    automatic: bool
    acks: tuple[AckRow, ...]
    median_ack_seconds: float | None
    first_message: RelatedMessage | None


@dataclass(frozen=True)
class Timeline:
    """Phases (for the Gantt chart) and injects in release order, pending ones last."""

    lanes: tuple[str, ...]
    phases: tuple[PhaseRow, ...]
    injects: tuple[InjectRow, ...]
    planned_seconds: int
    actual_seconds: int
    paused_seconds: int


# --- inter-agency exchange -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """Messages from one party to another: count, read, replied and the median first reply (seconds)."""

    count: int
    read: int
    replied: int
    median_reply_seconds: float | None


@dataclass(frozen=True)
class MatrixLine:
    """One sender's row of the matrix: one cell per ``Exchange.columns`` entry, None when it never wrote."""

    sender: str
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class Edge:
    """An arrow of the network diagram (only teams, cells and control that exchanged something)."""

    sender: str
    recipient: str
    count: int


@dataclass(frozen=True)
class SlowReply:
    """The slowest first reply of the run: who wrote, who answered late, when it was sent, how long."""

    sender: str
    recipient: str
    sent_at: dt.datetime
    seconds: int


@dataclass(frozen=True)
class Exchange:
    """Who informed whom. ``messages`` counts messages; ``deliveries`` counts (message, addressee) pairs
    (a message to three teams is one message, three deliveries, and one in each of three cells).
    ``median_first_reply_seconds`` is over every answered delivery. ``received_nothing``: teams no
    message was addressed to; ``never_answered``: teams that received at least one and replied to none."""

    columns: tuple[str, ...]
    rows: tuple[MatrixLine, ...]
    edges: tuple[Edge, ...]
    nodes: tuple[str, ...]
    messages: int
    deliveries: int
    read: int
    replied: int
    median_first_reply_seconds: float | None
    slowest_first_reply: SlowReply | None
    received_nothing: tuple[str, ...]
    never_answered: tuple[str, ...]


# --- objectives ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Ratings summarised: how many, mean, population standard deviation, min and max (None when empty)."""

    count: int
    mean: float | None
    stdev: float | None
    minimum: int | None
    maximum: int | None


@dataclass(frozen=True)
class ObservationItem:
    """One observation note. ``author`` is "" in a shareable report (which holds only shareable notes)."""

    id: int
    observed_at: dt.datetime
    team: str
    objective: str
    phase: str
    rating: int | None
    text: str
    shareable: bool
    author: str


@dataclass(frozen=True)
class TeamRating:
    """One team's observations against one objective: ``notes`` notes, of which ``ratings`` rated."""

    team: str
    notes: int
    ratings: Stats


@dataclass(frozen=True)
class ReflectionFigure:
    """A reflection scale question tied to the objective, from one administration shown above its
    anonymity threshold: its answered count and mean (on 1..``scale_max``)."""

    administration: str
    question: str
    answered: int
    mean: float | None
    scale_max: int


@dataclass(frozen=True)
class ObjectiveSection:
    """A learning objective: its observations, ratings by team and overall, and the reflection results
    tied to it. ``code`` and ``label`` are "" with ``key`` None for the notes that name no objective."""

    key: int | None
    code: str
    label: str
    observations: tuple[ObservationItem, ...]
    by_team: tuple[TeamRating, ...]
    ratings: Stats
    reflections: tuple[ReflectionFigure, ...]


# --- strengths, areas for improvement --------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A strength or an area for improvement, from the hot-wash board (``source`` "hotwash") or a
    shareable observation (``source`` "observation")."""

    source: str
    text: str
    team: str
    objective: str
    rating: int | None = None


# --- reflections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionAggregate:
    """A question's chart: bars (scale points, choices, yes/no) and mean for a scale; ``texts`` only in
    the free-text groups (see ``TextGroup``), never here."""

    question: str
    kind: str
    objective: str
    answered: int
    mean: float | None
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class TextGroup:
    """Free-text answers grouped by objective ("" for none); answers never carry a respondent's name."""

    objective: str
    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class ObjectiveChangeRow:
    """Pre/post confidence change for an objective (means of scale answers)."""

    objective: str
    before: float
    after: float
    change: float


@dataclass(frozen=True)
class ReflectionSet:
    """One questionnaire administration of the run (or of its cohort). ``shown`` False: below the
    anonymity threshold, so only ``respondents``/``members`` are given and the lists are empty."""

    title: str
    stage: str
    anonymous: bool
    respondents: int
    members: int
    min_respondents: int
    shown: bool
    questions: tuple[QuestionAggregate, ...]
    texts: tuple[TextGroup, ...]
    prepost: tuple[ObjectiveChangeRow, ...]


# --- improvement plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """An improvement-plan action as a plain row (the ImprovementAction model belongs to another
    slice; ``reports.selectors.improvement_rows`` is the hook that fills these)."""

    area: str
    action: str
    agency: str
    contact: str  # "" in a shareable report
    due: dt.date | None
    status: str


# --- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunReport:
    """The after-action report of one run. ``problems`` are translated sentences about missing or
    inconsistent data ("The run never started.", "Phase X never ended.", "No reflections.", "No
    messages."): the report is always built, and shows these instead of failing."""

    overview: Overview
    timeline: Timeline
    exchange: Exchange
    objectives: tuple[ObjectiveSection, ...]
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    reflections: tuple[ReflectionSet, ...]
    actions: tuple[ActionRow, ...]
    problems: tuple[str, ...]
    generated_at: dt.datetime
    shareable: bool = False
    language: str = "en"
    observation_count: int = 0
    schema: int = field(default=SCHEMA_VERSION)

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(to_plain(self), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> RunReport:
        return from_plain(cls, json.loads(text))


@dataclass(frozen=True)
class CohortRunRow:
    """One run of the cohort in the cohort report's overview table."""

    run_id: int
    exercise: str
    status: str
    started_at: dt.datetime | None
    teams: int
    people: int
    messages: int
    observations: int
    median_first_reply_seconds: float | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class PooledObjective:
    """An objective's ratings pooled over every run of the cohort, and per run (run id, stats)."""

    code: str
    label: str
    ratings: Stats
    by_run: tuple[tuple[int, Stats], ...]


@dataclass(frozen=True)
class CohortReport:
    """All runs of a cohort: per-run rows, pooled objective ratings and pooled exchange figures
    (``median_first_reply_seconds`` over every answered delivery of every run)."""

    cohort: str
    course: str
    runs: tuple[CohortRunRow, ...]
    objectives: tuple[PooledObjective, ...]
    messages: int
    deliveries: int
    replied: int
    median_first_reply_seconds: float | None
    slowest_first_reply: SlowReply | None
    reflections: tuple[ReflectionSet, ...]
    problems: tuple[str, ...]
    generated_at: dt.datetime
    language: str = "en"
    schema: int = field(default=SCHEMA_VERSION)

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(to_plain(self), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> CohortReport:
        return from_plain(cls, json.loads(text))


# --- JSON ------------------------------------------------------------------------------------------


def to_plain(value: Any) -> Any:
    """Dataclasses to dicts, tuples to lists, dates and datetimes to ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def from_plain(kind: Any, value: Any) -> Any:
    """The inverse of ``to_plain`` guided by the type annotations."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return from_plain(options[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in value)
        return tuple(from_plain(a, v) for a, v in zip(args, value, strict=True))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        return kind(
            **{f.name: from_plain(hints[f.name], value[f.name]) for f in dataclasses.fields(kind) if f.name in value}
        )
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is float and isinstance(value, int):
        return float(value)
    return value
