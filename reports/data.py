"""PROVISIONAL stand-in for f-repdata's ``reports/data.py`` (not yet committed when this was written).

The renderer was developed against these shapes, taken from the slice's description of the report's
data. The integrator takes f-repdata's file; ``reports/pdf.py`` reads the data only in its section
functions, so adapting it to the real field names is local.
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgencyRow:
    """A participating agency: its team in the run and the number of people in that team."""

    agency: str
    kind: str
    team: str
    people: int


@dataclass(frozen=True)
class Overview:
    course: str
    cohort: str
    exercise: str
    run: str
    starts: dt.datetime | None
    ends: dt.datetime | None
    delivery_mode: str
    facilitators: tuple[str, ...] = ()  # empty in the shareable version
    agencies: tuple[AgencyRow, ...] = ()


@dataclass(frozen=True)
class PhaseRow:
    """A phase planned against actual; ``day`` is the lane (the planned or else the actual date)."""

    name: str
    day: dt.date | None
    session: str
    planned_start: dt.datetime | None
    planned_minutes: int
    started_at: dt.datetime | None
    ended_at: dt.datetime | None  # None: never ended (or never started)
    actual_seconds: int | None


@dataclass(frozen=True)
class Acknowledgement:
    team: str
    acknowledged_at: dt.datetime | None
    seconds: int | None


@dataclass(frozen=True)
class InjectRow:
    number: int | None
    title: str
    status: str  # "released", "skipped", "pending"
    released_at: dt.datetime | None
    acknowledgements: tuple[Acknowledgement, ...] = ()
    first_message_at: dt.datetime | None = None  # the first message sent after it that relates to it
    first_message_team: str = ""


@dataclass(frozen=True)
class Timeline:
    phases: tuple[PhaseRow, ...] = ()
    injects: tuple[InjectRow, ...] = ()


@dataclass(frozen=True)
class Exchange:
    """Who informed whom: ``counts[i][j]`` messages from ``parties[i]`` to ``parties[j]``."""

    parties: tuple[str, ...] = ()
    counts: tuple[tuple[int, ...], ...] = ()
    total: int = 0
    median_first_reply_seconds: float | None = None
    slowest_first_reply_seconds: int | None = None
    slowest_pair: tuple[str, str] | None = None  # (sender, who replied late)
    received_nothing: tuple[str, ...] = ()
    never_answered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observation:
    team: str
    rating: int | None
    text: str
    author: str = ""  # "" in the shareable version
    observed_at: dt.datetime | None = None


@dataclass(frozen=True)
class TeamRating:
    team: str
    observations: int
    average: float | None


@dataclass(frozen=True)
class ReflectionFigure:
    question: str
    mean: float | None
    answered: int


@dataclass(frozen=True)
class ObjectiveResult:
    """One learning objective: observations and ratings by team; spread is the min and max rating."""

    objective: str
    observations: tuple[Observation, ...] = ()
    teams: tuple[TeamRating, ...] = ()
    average: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    std_dev: float | None = None  # population standard deviation
    reflections: tuple[ReflectionFigure, ...] = ()
    reflections_hidden: bool = False  # below the anonymity threshold


@dataclass(frozen=True)
class Point:
    """A strength or an area for improvement (hot-wash board or a shareable observation)."""

    text: str
    team: str = ""
    objective: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionAggregate:
    question: str
    kind: str
    objective: str
    answered: int
    bars: tuple[Bar, ...] = ()
    mean: float | None = None


@dataclass(frozen=True)
class TextAnswer:
    text: str
    author: str = ""  # "" when anonymous


@dataclass(frozen=True)
class TextGroup:
    objective: str
    answers: tuple[TextAnswer, ...] = ()


@dataclass(frozen=True)
class Reflections:
    respondents: int = 0
    members: int = 0
    min_respondents: int = 0
    anonymous: bool = True
    shown: bool = False
    questions: tuple[QuestionAggregate, ...] = ()
    texts: tuple[TextGroup, ...] = ()


@dataclass(frozen=True)
class ImprovementRow:
    area: str
    action: str
    agency: str
    contact: str
    due: dt.date | None
    status: str


@dataclass(frozen=True)
class RunReport:
    overview: Overview
    generated_at: dt.datetime
    timezone: str = "UTC"
    shareable: bool = False
    issuer: str = "Concord"
    timeline: Timeline = field(default_factory=Timeline)
    exchange: Exchange = field(default_factory=Exchange)
    objectives: tuple[ObjectiveResult, ...] = ()
    rating_scale: int = 5
    strengths: tuple[Point, ...] = ()
    improvements: tuple[Point, ...] = ()
    reflections: Reflections = field(default_factory=Reflections)
    actions: tuple[ImprovementRow, ...] = ()
    problems: tuple[str, ...] = ()
