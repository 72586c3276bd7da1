"""Phases laid out in time: pure logic, no database."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlannedPhase:
    phase: Any  # an exercises.Phase, or anything with ``planned_minutes``
    starts_at: dt.datetime
    ends_at: dt.datetime
    overruns: bool  # ends after the session it is planned in


def phase_timeline(
    *, starts_at: dt.datetime, phases: Iterable[Any], ends_at: dt.datetime | None = None
) -> list[PlannedPhase]:
    """Phases laid end to end: a phase starts at ``starts_at`` plus the minutes of the phases before it."""
    planned = []
    cursor = starts_at
    for phase in phases:
        phase_end = cursor + dt.timedelta(minutes=phase.planned_minutes)
        planned.append(
            PlannedPhase(
                phase=phase,
                starts_at=cursor,
                ends_at=phase_end,
                overruns=ends_at is not None and phase_end > ends_at,
            )
        )
        cursor = phase_end
    return planned
