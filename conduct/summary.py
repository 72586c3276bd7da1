"""A run's debrief figures from plain rows: no ORM, so the on-screen summary and the later PDF report
compute them the same way, and tests check them against hand-made numbers.

``conduct.selectors.run_summary`` fetches the rows (a fixed number of queries) and calls ``summary_compute``.
Times are aware datetimes; durations are whole seconds, medians may end in .5.
"""

import bisect
import dataclasses
import datetime as dt
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from conduct.clock import ADVANCE, EXTEND, FINISH, PAUSE, RESUME, START, Event, PlannedPhase

# A party to the messages: ("team", id), ("cell", id), or ("control", 0) for exercise control.
PartyKey = tuple[str, int]
TEAM, CELL, CONTROL = "team", "cell", "control"
CONTROL_KEY: PartyKey = (CONTROL, 0)


# --- rows in ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    key: PartyKey
    name: str

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def id(self) -> int:
        return self.key[1]


@dataclass(frozen=True)
class Placement:
    """Where a phase of the run is planned: its session (by name) and its planned start."""

    session: str = ""
    planned_start: dt.datetime | None = None


@dataclass(frozen=True)
class ReleaseRow:
    id: int
    number: int | None  # the planned inject's number; None for an ad-hoc one
    title: str
    status: str  # "released" or "skipped"
    at: dt.datetime
    automatic: bool = False
    dependency_overridden: bool = False


@dataclass(frozen=True)
class DeliveryRow:
    release_id: int
    team_id: int
    acknowledged_at: dt.datetime | None


@dataclass(frozen=True)
class PendingInjectRow:
    """A planned inject of the exercise that was neither released nor skipped."""

    id: int
    number: int
    title: str


@dataclass(frozen=True)
class RecipientRow:
    """One addressee of one message: the message's sender and time, and when the addressee read and replied."""

    message_id: int
    sender: PartyKey
    sent_at: dt.datetime
    recipient: PartyKey
    first_read_at: dt.datetime | None
    first_reply_at: dt.datetime | None
    subject: str = ""


@dataclass(frozen=True)
class ObservationRow:
    id: int
    observed_at: dt.datetime
    team_id: int | None
    objective_id: int | None
    rating: int | None
    text: str
    shareable: bool
    author: str = ""
    phase: str = ""
    team: str = ""
    objective: str = ""


# --- figures out -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseOutcome:
    """A phase as planned (its minutes plus extensions) against as played (wall time less pauses)."""

    phase: PlannedPhase
    started_at: dt.datetime | None
    ended_at: dt.datetime | None  # None while it runs, or when it never started
    extension_minutes: int
    pauses: int
    paused_seconds: int
    actual_seconds: int | None  # None when it never started; up to now while it runs
    session: str = ""  # the session (day) the phase is placed in, for a run over several
    planned_start: dt.datetime | None = None

    @property
    def start_delay_seconds(self) -> int | None:
        """How late (positive) or early the phase started against its planned start, when both are known."""
        if self.started_at is None or self.planned_start is None:
            return None
        return _seconds(self.started_at, self.planned_start)

    @property
    def planned_seconds(self) -> int:
        return (self.phase.planned_minutes + self.extension_minutes) * 60

    @property
    def difference_seconds(self) -> int | None:
        """Over the plan (positive) or under it (negative), extensions counted in the plan."""
        return None if self.actual_seconds is None else self.actual_seconds - self.planned_seconds

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.ended_at is None


@dataclass(frozen=True)
class TeamAcknowledgement:
    team: Party
    acknowledged_at: dt.datetime | None
    seconds: int | None  # from the release to the acknowledgement; None when never acknowledged


@dataclass(frozen=True)
class FirstMessage:
    """The first message a team that received an inject sent after its release (messages carry no link
    to injects, so this is the debrief's reading of "the first related message")."""

    sender: Party
    sent_at: dt.datetime
    seconds: int
    subject: str = ""


@dataclass(frozen=True)
class InjectOutcome:
    release_id: int | None  # None for a planned inject still pending
    number: int | None
    title: str
    status: str  # "released", "skipped" or "pending"
    at: dt.datetime | None
    automatic: bool
    dependency_overridden: bool
    teams: tuple[TeamAcknowledgement, ...]
    first_message: FirstMessage | None = None

    @property
    def acknowledged(self) -> tuple[TeamAcknowledgement, ...]:
        return tuple(t for t in self.teams if t.seconds is not None)

    @property
    def unacknowledged(self) -> tuple[TeamAcknowledgement, ...]:
        return tuple(t for t in self.teams if t.seconds is None)

    @property
    def median_seconds(self) -> float | None:
        return median([t.seconds for t in self.acknowledged if t.seconds is not None])


@dataclass(frozen=True)
class PairStats:
    """Messages from one party to another: how many, how many were read and answered, and the median
    time from sending to the first reply (over the answered ones)."""

    sender: Party
    recipient: Party
    count: int
    read: int
    replied: int
    median_reply_seconds: float | None


@dataclass(frozen=True)
class MatrixRow:
    sender: Party
    cells: tuple[PairStats | None, ...]  # one per column; None when the sender never wrote to it


@dataclass(frozen=True)
class Matrix:
    """Who informed whom: senders down, recipients across, in the parties' order."""

    columns: tuple[Party, ...]
    rows: tuple[MatrixRow, ...]
    pairs: tuple[PairStats, ...]  # the non-empty cells, row by row

    @property
    def total(self) -> int:
        return sum(pair.count for pair in self.pairs)


@dataclass(frozen=True)
class ObservationGroup:
    key: int | None  # a team's or an objective's id; None for the notes that name none
    label: str
    observations: tuple[ObservationRow, ...]

    @property
    def count(self) -> int:
        return len(self.observations)

    @property
    def ratings(self) -> list[int]:
        return [o.rating for o in self.observations if o.rating is not None]

    @property
    def rated(self) -> int:
        return len(self.ratings)

    @property
    def mean_rating(self) -> float | None:
        ratings = self.ratings
        return sum(ratings) / len(ratings) if ratings else None


@dataclass(frozen=True)
class SlowestReply:
    sender: Party
    recipient: Party
    sent_at: dt.datetime
    seconds: int


@dataclass(frozen=True)
class ExchangeFigures:
    """The run's exchange in figures: messages, deliveries (message x addressee), read and replied
    deliveries, the median and slowest first reply over the replied ones, and the teams that received
    nothing or received something but never replied."""

    messages: int
    deliveries: int
    read: int
    replied: int
    median_first_reply_seconds: float | None
    slowest: SlowestReply | None
    received_nothing: tuple[Party, ...]
    never_answered: tuple[Party, ...]
    reply_seconds: tuple[int, ...] = ()  # every first reply, for pooling across runs


@dataclass(frozen=True)
class RunSummary:
    phases: tuple[PhaseOutcome, ...]
    injects: tuple[InjectOutcome, ...]
    matrix: Matrix
    by_team: tuple[ObservationGroup, ...]
    by_objective: tuple[ObservationGroup, ...]
    observation_count: int = field(default=0)
    exchange: ExchangeFigures | None = None

    @property
    def planned_seconds(self) -> int:
        return sum(p.planned_seconds for p in self.phases)

    @property
    def actual_seconds(self) -> int:
        return sum(p.actual_seconds or 0 for p in self.phases)

    @property
    def extension_minutes(self) -> int:
        return sum(p.extension_minutes for p in self.phases)

    @property
    def paused_seconds(self) -> int:
        return sum(p.paused_seconds for p in self.phases)


# --- the arithmetic --------------------------------------------------------------------------------


def median(values: Sequence[int | float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _seconds(later: dt.datetime, earlier: dt.datetime) -> int:
    return int((later - earlier).total_seconds())


@dataclass
class _Played:
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    extension: int = 0
    pauses: int = 0
    paused: dt.timedelta = field(default_factory=dt.timedelta)


def phase_outcomes(
    *,
    phases: Sequence[PlannedPhase],
    events: Iterable[Event],
    now: dt.datetime,
    placements: Mapping[int, Placement] | None = None,
) -> tuple[PhaseOutcome, ...]:
    """Each phase in order as planned and as played, from the clock's events (in the order they happened).

    ``placements`` gives, by phase id, the session a phase is placed in and its planned start.

    A phase runs from its start (or the advance into it) to the next advance or the finish; the time
    paused in between is not played time. A pause still open at the end counts up to that end, or to
    ``now`` while the run goes on.
    """
    played: dict[int, _Played] = {p.id: _Played() for p in phases}
    current: _Played | None = None
    paused_since: dt.datetime | None = None

    def close(at: dt.datetime) -> None:
        nonlocal paused_since
        if current is not None:
            if paused_since is not None:
                current.paused += max(at - paused_since, dt.timedelta())
            current.ended_at = at
        paused_since = None

    for event in events:
        if event.kind in (START, ADVANCE):
            close(event.at)
            current = played.get(event.phase_id)
            if current is not None:
                current.started_at = event.at
        elif event.kind == PAUSE and current is not None and paused_since is None:
            paused_since = event.at
            current.pauses += 1
        elif event.kind == RESUME and current is not None and paused_since is not None:
            current.paused += event.at - paused_since
            paused_since = None
        elif event.kind == EXTEND and event.phase_id in played:
            played[event.phase_id].extension += event.minutes or 0
        elif event.kind == FINISH:
            close(event.at)
            current = None
    outcomes = []
    placements = placements or {}
    for phase in sorted(phases, key=lambda p: p.order):
        record = played[phase.id]
        placement = placements.get(phase.id, Placement())
        actual: int | None = None
        paused = record.paused
        if record.started_at is not None:
            until = record.ended_at or now
            if record is current and paused_since is not None:
                paused += max(now - paused_since, dt.timedelta())
            actual = max(_seconds(until, record.started_at) - int(paused.total_seconds()), 0)
        outcomes.append(
            PhaseOutcome(
                phase=phase,
                started_at=record.started_at,
                ended_at=record.ended_at,
                extension_minutes=record.extension,
                pauses=record.pauses,
                paused_seconds=int(paused.total_seconds()),
                actual_seconds=actual,
                session=placement.session,
                planned_start=placement.planned_start,
            )
        )
    return tuple(outcomes)


def inject_outcomes(
    *,
    releases: Iterable[ReleaseRow],
    deliveries: Iterable[DeliveryRow],
    teams: Sequence[Party],
    pending: Iterable[PendingInjectRow] = (),
) -> tuple[InjectOutcome, ...]:
    """Each release in time order with its teams' acknowledgement times (teams in ``teams``' order),
    then the planned injects still pending, by number."""
    team_order = {party.key: index for index, party in enumerate(teams)}
    names = {party.key: party for party in teams}
    by_release: dict[int, list[DeliveryRow]] = {}
    for delivery in deliveries:
        by_release.setdefault(delivery.release_id, []).append(delivery)
    outcomes = []
    for release in sorted(releases, key=lambda r: (r.at, r.id)):
        acks = []
        for delivery in sorted(
            by_release.get(release.id, []), key=lambda d: team_order.get((TEAM, d.team_id), len(team_order))
        ):
            ack = delivery.acknowledged_at
            acks.append(
                TeamAcknowledgement(
                    team=names.get((TEAM, delivery.team_id), Party((TEAM, delivery.team_id), "")),
                    acknowledged_at=ack,
                    seconds=None if ack is None else max(_seconds(ack, release.at), 0),
                )
            )
        outcomes.append(
            InjectOutcome(
                release_id=release.id,
                number=release.number,
                title=release.title,
                status=release.status,
                at=release.at,
                automatic=release.automatic,
                dependency_overridden=release.dependency_overridden,
                teams=tuple(acks),
            )
        )
    for inject in sorted(pending, key=lambda i: i.number):
        outcomes.append(InjectOutcome(None, inject.number, inject.title, "pending", None, False, False, ()))
    return tuple(outcomes)


def message_matrix(*, parties: Sequence[Party], recipients: Iterable[RecipientRow]) -> Matrix:
    """Counts and median first-reply times per (sender, recipient) pair.

    A message to three teams counts once in each of the three pairs. Senders are the rows, in the
    parties' order, and only those who sent something; every party is a column. Exercise control
    appears as a sender when it wrote, named by the caller's ``CONTROL_KEY`` party if given.
    """
    known = {party.key: party for party in parties}
    cells: dict[tuple[PartyKey, PartyKey], list[RecipientRow]] = {}
    for row in recipients:
        cells.setdefault((row.sender, row.recipient), []).append(row)
    order = {party.key: index for index, party in enumerate(parties)}
    senders = sorted({sender for sender, _ in cells}, key=lambda key: (order.get(key, len(order)), key))
    columns = tuple(party for party in parties if party.key != CONTROL_KEY)  # control receives nothing
    rows, pairs = [], []
    for sender_key in senders:
        sender = known.get(sender_key, Party(sender_key, ""))
        row_cells: list[PairStats | None] = []
        for column in columns:
            found = cells.get((sender_key, column.key))
            if not found:
                row_cells.append(None)
                continue
            replies = [_seconds(r.first_reply_at, r.sent_at) for r in found if r.first_reply_at is not None]
            stats = PairStats(
                sender=sender,
                recipient=column,
                count=len(found),
                read=sum(1 for r in found if r.first_read_at is not None),
                replied=len(replies),
                median_reply_seconds=median(replies),
            )
            row_cells.append(stats)
            pairs.append(stats)
        rows.append(MatrixRow(sender=sender, cells=tuple(row_cells)))
    return Matrix(columns=columns, rows=tuple(rows), pairs=tuple(pairs))


def exchange_figures(*, parties: Sequence[Party], recipients: Sequence[RecipientRow]) -> ExchangeFigures:
    """The exchange's totals (see ``ExchangeFigures``); the slowest reply is the earliest sent among equals."""
    known = {party.key: party for party in parties}
    teams = [party for party in parties if party.kind == TEAM]
    received: set[PartyKey] = set()
    answered: set[PartyKey] = set()
    replies: list[int] = []
    slowest: tuple[int, dt.datetime, RecipientRow] | None = None
    for row in recipients:
        received.add(row.recipient)
        if row.first_reply_at is None:
            continue
        answered.add(row.recipient)
        seconds = max(_seconds(row.first_reply_at, row.sent_at), 0)
        replies.append(seconds)
        if slowest is None or (seconds, -row.sent_at.timestamp()) > (slowest[0], -slowest[1].timestamp()):
            slowest = (seconds, row.sent_at, row)
    return ExchangeFigures(
        messages=len({row.message_id for row in recipients}),
        deliveries=len(recipients),
        read=sum(1 for row in recipients if row.first_read_at is not None),
        replied=len(replies),
        median_first_reply_seconds=median(replies),
        slowest=None
        if slowest is None
        else SlowestReply(
            sender=known.get(slowest[2].sender, Party(slowest[2].sender, "")),
            recipient=known.get(slowest[2].recipient, Party(slowest[2].recipient, "")),
            sent_at=slowest[1],
            seconds=slowest[0],
        ),
        received_nothing=tuple(team for team in teams if team.key not in received),
        never_answered=tuple(team for team in teams if team.key in received and team.key not in answered),
        reply_seconds=tuple(replies),
    )


def first_messages(
    *, injects: Sequence[InjectOutcome], recipients: Sequence[RecipientRow]
) -> tuple[InjectOutcome, ...]:
    """The injects with ``first_message`` set: the earliest message sent at or after the release by one
    of the teams it was delivered to."""
    sent: dict[PartyKey, list[tuple[dt.datetime, int, RecipientRow]]] = {}
    seen: set[int] = set()
    for row in recipients:
        if row.message_id in seen or row.sender[0] != TEAM:
            continue
        seen.add(row.message_id)
        sent.setdefault(row.sender, []).append((row.sent_at, row.message_id, row))
    for rows in sent.values():
        rows.sort(key=lambda item: (item[0], item[1]))
    out = []
    for inject in injects:
        best: tuple[dt.datetime, int, RecipientRow] | None = None
        if inject.at is not None and inject.status != "skipped":
            for ack in inject.teams:
                rows = sent.get(ack.team.key, [])
                index = bisect.bisect_left(rows, inject.at, key=lambda item: item[0])
                if index < len(rows) and (best is None or rows[index][:2] < best[:2]):
                    best = rows[index]
        if best is None or inject.at is None:
            out.append(inject)
            continue
        sender = next(ack.team for ack in inject.teams if ack.team.key == best[2].sender)
        found = FirstMessage(
            sender=sender, sent_at=best[0], seconds=_seconds(best[0], inject.at), subject=best[2].subject
        )
        out.append(dataclasses.replace(inject, first_message=found))
    return tuple(out)


def observation_groups(
    *, observations: Sequence[ObservationRow], by: str, order: Sequence[Hashable], none_label: str
) -> tuple[ObservationGroup, ...]:
    """The observations grouped by ``by`` ("team" or "objective"), groups in ``order`` of their keys,
    the notes naming none last (under ``none_label``); inside a group, in time order."""
    if by not in ("team", "objective"):
        raise ValueError(by)
    grouped: dict[int | None, list[ObservationRow]] = {}
    for row in sorted(observations, key=lambda o: (o.observed_at, o.id)):
        grouped.setdefault(getattr(row, f"{by}_id"), []).append(row)
    rank = {key: index for index, key in enumerate(order)}
    keys = sorted(grouped, key=lambda key: (key is None, rank.get(key, len(rank)), key or 0))
    return tuple(
        ObservationGroup(
            key=key,
            label=none_label if key is None else getattr(grouped[key][0], by),
            observations=tuple(grouped[key]),
        )
        for key in keys
    )


def summary_compute(
    *,
    phases: Sequence[PlannedPhase],
    events: Sequence[Event],
    releases: Sequence[ReleaseRow],
    deliveries: Sequence[DeliveryRow],
    pending: Sequence[PendingInjectRow],
    parties: Sequence[Party],
    recipients: Sequence[RecipientRow],
    observations: Sequence[ObservationRow],
    objective_order: Sequence[int],
    no_team: str,
    no_objective: str,
    now: dt.datetime,
    placements: Mapping[int, Placement] | None = None,
) -> RunSummary:
    """Every figure of the run summary from its rows (see each function above)."""
    teams = [party for party in parties if party.key[0] == TEAM]
    injects = inject_outcomes(releases=releases, deliveries=deliveries, teams=teams, pending=pending)
    return RunSummary(
        phases=phase_outcomes(phases=phases, events=events, now=now, placements=placements),
        injects=first_messages(injects=injects, recipients=recipients),
        matrix=message_matrix(parties=parties, recipients=recipients),
        by_team=observation_groups(
            observations=observations, by="team", order=[p.key[1] for p in teams], none_label=no_team
        ),
        by_objective=observation_groups(
            observations=observations, by="objective", order=objective_order, none_label=no_objective
        ),
        observation_count=len(observations),
        exchange=exchange_figures(parties=parties, recipients=recipients),
    )
