"""The phase clock's arithmetic, from a run's events alone: no ORM, so it is tested with hand-made times.

The current phase is the one of the last start or advance. Its elapsed time runs from that moment
to now (or to the finish), less the time spent paused; its plan is its planned minutes plus every
extension given to it. What is left of the plan is the remaining time; what is beyond it, the overrun.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

START, ADVANCE, PAUSE, RESUME, EXTEND, FINISH = "start", "advance", "pause", "resume", "extend", "finish"
# A phase is extended by at most this many minutes at a time: more is a typing slip, not a plan.
MAX_EXTENSION_MINUTES = 240


@dataclass(frozen=True)
class PlannedPhase:
    id: int
    order: int
    name: str
    planned_minutes: int


@dataclass(frozen=True)
class Event:
    kind: str
    at: dt.datetime
    phase_id: int
    minutes: int | None = None


@dataclass(frozen=True)
class Clock:
    """What the console shows. Times in whole seconds; ``phase`` is None before the start."""

    status: str
    phase: PlannedPhase | None
    phase_number: int  # 1-based position of the current phase, 0 before the start
    phase_count: int
    next_phase: PlannedPhase | None
    phase_started_at: dt.datetime | None
    paused_since: dt.datetime | None
    elapsed_seconds: int
    planned_seconds: int  # the phase's planned minutes plus its extensions
    extension_minutes: int
    paused_seconds: int

    @property
    def remaining_seconds(self) -> int:
        return max(self.planned_seconds - self.elapsed_seconds, 0)

    @property
    def overrun_seconds(self) -> int:
        return max(self.elapsed_seconds - self.planned_seconds, 0)

    @property
    def elapsed_minutes(self) -> int:
        return self.elapsed_seconds // 60

    @property
    def remaining_minutes(self) -> int:
        # Rounded up: "1 minute left" until the plan is really used up.
        return -(-self.remaining_seconds // 60)

    @property
    def overrun_minutes(self) -> int:
        return self.overrun_seconds // 60

    @property
    def planned_minutes(self) -> int:
        return self.planned_seconds // 60

    @property
    def is_last_phase(self) -> bool:
        return self.phase is not None and self.next_phase is None


def clock_compute(*, status: str, phases: Sequence[PlannedPhase], events: Sequence[Event], now: dt.datetime) -> Clock:
    """The clock of a run with ``phases`` (in order) and ``events`` (in the order they happened) at ``now``."""
    ordered = sorted(phases, key=lambda p: p.order)
    by_id = {phase.id: phase for phase in ordered}
    current: PlannedPhase | None = None
    started_at: dt.datetime | None = None
    paused_since: dt.datetime | None = None
    paused = dt.timedelta()
    extensions = 0
    ended_at: dt.datetime | None = None
    for event in events:
        if event.kind in (START, ADVANCE):
            current, started_at = by_id.get(event.phase_id), event.at
            paused, extensions, paused_since = dt.timedelta(), 0, None
        elif event.kind == PAUSE:
            paused_since = event.at
        elif event.kind == RESUME and paused_since is not None:
            paused += event.at - paused_since
            paused_since = None
        elif event.kind == EXTEND and current is not None and event.phase_id == current.id:
            extensions += event.minutes or 0
        elif event.kind == FINISH:
            ended_at = event.at
    until = ended_at or now
    if paused_since is not None:
        # Still paused (or finished while paused): the pause counts up to now, or to the finish.
        paused += max(until - paused_since, dt.timedelta())
    if current is None or started_at is None:
        return Clock(status, None, 0, len(ordered), ordered[0] if ordered else None, None, None, 0, 0, 0, 0)
    position = ordered.index(current)
    elapsed = max(until - started_at - paused, dt.timedelta())
    return Clock(
        status=status,
        phase=current,
        phase_number=position + 1,
        phase_count=len(ordered),
        next_phase=ordered[position + 1] if position + 1 < len(ordered) else None,
        phase_started_at=started_at,
        paused_since=paused_since if ended_at is None else None,
        elapsed_seconds=int(elapsed.total_seconds()),
        planned_seconds=(current.planned_minutes + extensions) * 60,
        extension_minutes=extensions,
        paused_seconds=int(paused.total_seconds()),
    )
