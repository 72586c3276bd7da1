"""When a run's planned injects fall due, from the clock's events alone: no ORM, tested with hand-made times.

An inject is due when its phase is the current one and the phase's elapsed time (paused time not
counted, as ``conduct.clock`` measures it) has reached its minute offset, or when its phase is already
past. Only a running run has due injects: a pause holds them.

Its planned time is the moment the phase's play time reaches the offset: inside a started phase that
walks the phase's intervals of play (so pauses push it later); a phase not started yet is projected
from the current phase's plan, the phases' planned minutes, and their planned starts in the run's
sessions (day two does not begin before its session).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from conduct.clock import ADVANCE, FINISH, PAUSE, RESUME, START, Clock, Event, PlannedPhase


def inject_is_due(*, phase_order: int | None, minute_offset: int, clock: Clock) -> bool:
    """Whether an inject planned ``minute_offset`` minutes into the phase of ``phase_order`` should be out
    by ``clock``: only a running run's (None: not tied to a phase, never due)."""
    if clock.status != "running" or clock.phase is None or phase_order is None:
        return False
    if phase_order < clock.phase.order:
        return True
    return phase_order == clock.phase.order and minute_offset * 60 <= clock.elapsed_seconds


@dataclass
class _Played:
    intervals: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)
    ended_at: dt.datetime | None = None


@dataclass(frozen=True)
class PhaseTimes:
    """Each phase's play (started phases) or projected start (the others): ``at()`` answers planned times."""

    played: Mapping[int, _Played]
    projected: Mapping[int, dt.datetime | None]
    now: dt.datetime

    def at(self, phase_id: int | None, minute_offset: int) -> dt.datetime | None:
        """The moment ``minute_offset`` minutes of the phase's play are reached (None when unknown)."""
        if phase_id is None:
            return None
        offset = dt.timedelta(minutes=minute_offset)
        played = self.played.get(phase_id)
        if played is None:
            start = self.projected.get(phase_id)
            return start + offset if start is not None else None
        return _reached(played, offset, self.now)


def _reached(played: _Played, offset: dt.timedelta, now: dt.datetime) -> dt.datetime | None:
    left = offset
    for start, end in played.intervals:
        if end is None or end - start >= left:
            return start + left  # an open interval runs on: the moment may lie ahead
        left -= end - start
    # Not reached in the play so far: when the phase ended (it was due then), or after the pause.
    return played.ended_at or now + left


def phase_times(
    *,
    phases: Sequence[PlannedPhase],
    events: Sequence[Event],
    clock: Clock,
    now: dt.datetime,
    planned_starts: Mapping[int, dt.datetime | None],
    anchor: dt.datetime | None,
) -> PhaseTimes:
    """Times for ``phases`` of a run whose clock ``events`` (in order) give ``clock`` at ``now``.

    ``planned_starts`` are the phases' planned starts in their sessions; ``anchor`` is when the run
    is planned to begin if its first phase has none (its session's start).
    """
    played = _played(events)
    ordered = sorted(phases, key=lambda p: p.order)
    projected: dict[int, dt.datetime | None] = {}
    cursor: dt.datetime | None
    if clock.phase is None:
        # Before the start (a finished run has played phases and projects nothing).
        upcoming = [] if played else ordered
        cursor = anchor
    else:
        current = played.get(clock.phase.id)
        cursor = _reached(current, dt.timedelta(seconds=clock.planned_seconds), now) if current else None
        upcoming = [p for p in ordered if p.order > clock.phase.order and p.id not in played]
        if clock.status not in ("running", "paused"):
            upcoming = []
    for phase in upcoming:
        planned = planned_starts.get(phase.id)
        if cursor is None or (planned is not None and planned > cursor):
            cursor = planned
        projected[phase.id] = cursor
        if cursor is not None:
            cursor += dt.timedelta(minutes=phase.planned_minutes)
    return PhaseTimes(played=played, projected=projected, now=now)


def _played(events: Sequence[Event]) -> dict[int, _Played]:
    """Each started phase's intervals of play, in order; the last is open (None) while it runs."""
    played: dict[int, _Played] = {}
    current: _Played | None = None
    since: dt.datetime | None = None

    def close(at: dt.datetime) -> None:
        if current is not None and since is not None:
            current.intervals.append((since, at))

    for event in events:
        if event.kind in (START, ADVANCE):
            close(event.at)
            if current is not None:
                current.ended_at = event.at
            current = played.setdefault(event.phase_id, _Played())
            since = event.at
        elif event.kind == PAUSE and since is not None:
            close(event.at)
            since = None
        elif event.kind == RESUME and current is not None and since is None:
            since = event.at
        elif event.kind == FINISH and current is not None:
            close(event.at)
            current.ended_at = event.at
            current, since = None, None
    if current is not None and since is not None:
        current.intervals.append((since, None))
    return played
