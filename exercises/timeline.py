"""Phases laid out in time: pure logic, no database."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


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


@dataclass(frozen=True)
class Placement:
    """Where a phase is planned: a session and a start inside it (``exercises.RunPhase``)."""

    session: Any  # a trainings.Session, or anything with ``pk``, ``starts_at`` and ``ends_at``
    starts_at: dt.datetime


@dataclass(frozen=True)
class RunPart:
    """The phases of a run planned in one session: one day's part of a run over several days."""

    session: Any
    phases: list[PlannedPhase]
    number: int  # 1, 2, ... in the run's order
    count: int  # how many parts the run has
    first: int  # the position of its first phase in the exercise (1-based)
    last: int

    @property
    def starts_at(self) -> dt.datetime:
        return self.phases[0].starts_at

    @property
    def ends_at(self) -> dt.datetime:
        return self.phases[-1].ends_at

    @property
    def overruns(self) -> bool:
        return any(phase.overruns for phase in self.phases)

    @property
    def label(self) -> str:
        """ "Day 2: phases 4–6", or "Day 2: phase 4" for a single phase."""
        if self.first == self.last:
            return _("Day %(day)d: phase %(first)d") % {"day": self.number, "first": self.first}
        return _("Day %(day)d: phases %(first)d–%(last)d") % {
            "day": self.number,
            "first": self.first,
            "last": self.last,
        }


def run_parts(*, phases: Iterable[Any], placements: Mapping[int, Placement], first_session: Any) -> list[RunPart]:
    """The run's phases grouped by the session each is planned in.

    A placed phase starts where its placement says; an unplaced one follows the phase before it in that
    phase's session (the first one: at ``first_session``'s start). So a run without placements lays its
    phases end to end from its session's start, as a single-session run always did. Empty while the run
    has neither a session nor placements.
    """
    groups: list[tuple[Any, list[tuple[int, PlannedPhase]]]] = []
    session, cursor = first_session, first_session.starts_at if first_session is not None else None
    for position, phase in enumerate(phases, start=1):
        placed = placements.get(phase.pk)
        if placed is not None:
            session, cursor = placed.session, placed.starts_at
        if session is None or cursor is None:
            continue
        phase_end = cursor + dt.timedelta(minutes=phase.planned_minutes)
        planned = PlannedPhase(phase=phase, starts_at=cursor, ends_at=phase_end, overruns=phase_end > session.ends_at)
        if not groups or groups[-1][0].pk != session.pk:
            groups.append((session, []))
        groups[-1][1].append((position, planned))
        cursor = phase_end
    return [
        RunPart(
            session=group_session,
            phases=[planned for _position, planned in rows],
            number=number,
            count=len(groups),
            first=rows[0][0],
            last=rows[-1][0],
        )
        for number, (group_session, rows) in enumerate(groups, start=1)
    ]


def phases_fill(*, phases: Iterable[Any], sessions: Sequence[Any]) -> list[tuple[Any, Any, dt.datetime]]:
    """A default placement: phases end to end from the first session's start, moving on to the next
    session's start when a phase would end after its session (a session's first phase always stays).

    Returns (phase, session, start) for every phase; empty without sessions.
    """
    if not sessions:
        return []
    filled = []
    index, cursor, in_session = 0, sessions[0].starts_at, 0
    for phase in phases:
        minutes = dt.timedelta(minutes=phase.planned_minutes)
        if in_session and cursor + minutes > sessions[index].ends_at and index + 1 < len(sessions):
            index, in_session = index + 1, 0
            cursor = sessions[index].starts_at
        filled.append((phase, sessions[index], cursor))
        cursor, in_session = cursor + minutes, in_session + 1
    return filled
