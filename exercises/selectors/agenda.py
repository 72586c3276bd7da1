"""The cohort's agenda: its sessions day by day with the runs they hold, and the schedule export."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from exercises.models import ExerciseRun
from exercises.selectors.runs import exercise_run_parts, placements_prefetch
from exercises.timeline import PlannedPhase, RunPart
from trainings.models import Cohort, Session


@dataclass(frozen=True)
class AgendaEntry:
    session: Session
    run: Any | None  # an exercises.ExerciseRun with phases in the session
    phases: list[PlannedPhase]
    part: RunPart | None = None  # the run's part in this session ("Day 2: phases 4–6")

    @property
    def overruns(self) -> bool:
        return any(phase.overruns for phase in self.phases)


@dataclass(frozen=True)
class AgendaDay:
    date: dt.date  # in the cohort's time zone
    entries: list[AgendaEntry]


def runs_by_session(runs: Iterable[ExerciseRun]) -> dict[int, tuple[ExerciseRun, RunPart | None]]:
    """Session id -> the run with phases in it and its part there (a session holds one run's phases).

    A run without phases yet is in its session with no part.
    """
    held: dict[int, tuple[ExerciseRun, RunPart | None]] = {}
    for run in runs:
        parts = exercise_run_parts(run=run)
        for part in parts:
            held.setdefault(part.session.pk, (run, part))
        if not parts and run.session_id is not None:
            held.setdefault(run.session_id, (run, None))
    return held


def cohort_schedule(*, cohort: Cohort) -> list[AgendaDay]:
    """The cohort's sessions, day by day in the cohort's time zone, with the runs' planned phases.

    A run over several sessions shows its part in each ("Day 2: phases 4–6"). Four queries whatever the
    number of sessions and runs: sessions, runs with their exercise, phases, placements.
    """
    sessions = list(Session.objects.filter(cohort=cohort).order_by("starts_at", "pk"))
    runs = (
        ExerciseRun.objects.filter(cohort=cohort, session__isnull=False)
        .select_related("exercise", "lead_facilitator", "session")
        .prefetch_related("exercise__phases", placements_prefetch())
    )
    held = runs_by_session(runs)
    tz = cohort.tz
    days: dict[dt.date, list[AgendaEntry]] = {}
    for session in sessions:
        run, part = held.get(session.pk, (None, None))
        phases = part.phases if part is not None else []
        day = session.starts_at.astimezone(tz).date()
        days.setdefault(day, []).append(AgendaEntry(session=session, run=run, phases=phases, part=part))
    return [AgendaDay(date=day, entries=entries) for day, entries in days.items()]


def cohort_unscheduled_runs(*, cohort: Cohort) -> QuerySet[ExerciseRun]:
    """The cohort's exercise runs that are not in a session yet."""
    return ExerciseRun.objects.filter(cohort=cohort, session__isnull=True).select_related("exercise").order_by("pk")


def session_upcoming_list(*, user: Any, limit: int = 20) -> list[Session]:
    """Scheduled sessions that have not ended, across the cohorts the user sees, with the run each holds."""
    return list(
        Session.objects.visible_to(user)
        .scheduled()
        .upcoming()
        .select_related("cohort", "exercise_run__exercise")
        .order_by("starts_at", "pk")[:limit]
    )


@dataclass(frozen=True)
class ScheduleExportRow:
    """One session of a cohort's schedule export; times are in the cohort's time zone."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    title: str
    room: str
    video_link: str
    status: str  # the session status's label
    exercise: str
    run_status: str
    phases: str  # the run's planned phases in this session, "09:00–09:15 Preparation; ..."
    run_part: str = ""  # for a run over several sessions: "Day 2: phases 4–6"


def cohort_schedule_export_rows(*, cohort: Cohort) -> list[ScheduleExportRow]:
    """The cohort's schedule as flat rows for CSV/XLSX: the same two queries as ``cohort_schedule``."""
    tz = cohort.tz
    # An online or hybrid cohort's sessions meet on the cohort's link unless they name their own.
    cohort_link = cohort.video_link if cohort.delivery_mode != "in_person" else ""
    rows = []
    for day in cohort_schedule(cohort=cohort):
        for entry in day.entries:
            session, run = entry.session, entry.run
            phases = "; ".join(
                f"{p.starts_at.astimezone(tz):%H:%M}–{p.ends_at.astimezone(tz):%H:%M} {p.phase.name}"
                for p in entry.phases
            )
            rows.append(
                ScheduleExportRow(
                    starts_at=session.starts_at.astimezone(tz),
                    ends_at=session.ends_at.astimezone(tz),
                    time_zone=cohort.time_zone,
                    title=session.title,
                    room=session.room,
                    video_link=session.video_link or cohort_link,
                    status=str(session.get_status_display()),
                    exercise=run.exercise.name if run is not None else "",
                    run_status=str(run.get_status_display()) if run is not None else "",
                    phases=phases,
                    run_part=entry.part.label if entry.part is not None and entry.part.count > 1 else "",
                )
            )
    return rows
