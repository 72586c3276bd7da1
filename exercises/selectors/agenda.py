"""The cohort's agenda: its sessions day by day with the runs they hold, and the schedule export."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from exercises.models import ExerciseRun
from exercises.timeline import PlannedPhase, phase_timeline
from trainings.models import Cohort, Session


@dataclass(frozen=True)
class AgendaEntry:
    session: Session
    run: Any | None  # an exercises.ExerciseRun held in the session
    phases: list[PlannedPhase]

    @property
    def overruns(self) -> bool:
        return any(phase.overruns for phase in self.phases)


@dataclass(frozen=True)
class AgendaDay:
    date: dt.date  # in the cohort's time zone
    entries: list[AgendaEntry]


def cohort_schedule(*, cohort: Cohort) -> list[AgendaDay]:
    """The cohort's sessions, day by day in the cohort's time zone, with each run's planned phases.

    Two queries whatever the number of sessions: sessions with their run and exercise, then phases.
    """
    sessions = (
        Session.objects.filter(cohort=cohort)
        .select_related("exercise_run__exercise", "exercise_run__lead_facilitator")
        .prefetch_related("exercise_run__exercise__phases")
        .order_by("starts_at", "pk")
    )
    tz = cohort.tz
    days: dict[dt.date, list[AgendaEntry]] = {}
    for session in sessions:
        # A reverse one-to-one raises (an AttributeError subclass) when the session holds no run.
        run = getattr(session, "exercise_run", None)
        phases: list[PlannedPhase] = []
        if run is not None:
            phases = phase_timeline(
                starts_at=session.starts_at, phases=run.exercise.phases.all(), ends_at=session.ends_at
            )
        day = session.starts_at.astimezone(tz).date()
        days.setdefault(day, []).append(AgendaEntry(session=session, run=run, phases=phases))
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
    phases: str  # the run's planned phases, "09:00–09:15 Preparation; ..."


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
                )
            )
    return rows
