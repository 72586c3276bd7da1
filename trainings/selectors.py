"""Reads for the trainings pages: catalogue, courses, cohorts and the cohort agenda.

A session's exercise run and a cohort's enrolments belong to higher layers (exercises,
participants). They are reached here through their reverse relations by name
(``exercise_run``, ``enrolments``), so this module imports nothing from those apps —
the same seam as ``trainings/access.py``.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from trainings.models import Cohort, Course, LearningObjective, Session
from trainings.querysets import CohortQuerySet

# participants.Enrolment.PLACE_STATUSES: statuses that take one of a cohort's places.
PLACE_STATUSES = ("invited", "enrolled", "completed")


@dataclass(frozen=True)
class PlannedPhase:
    phase: Any  # an exercises.Phase: this layer cannot import it
    starts_at: dt.datetime
    ends_at: dt.datetime
    overruns: bool  # ends after the session it is planned in


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


def objective_list() -> QuerySet[LearningObjective]:
    """The learning-objective catalogue: everyone signed in may read it."""
    return LearningObjective.objects.order_by("-is_active", "order", "code")


def objective_usage(*, objective: LearningObjective) -> dict[str, int]:
    """How many courses, exercises and injects use the objective (shown before retiring it).

    Exercises and injects belong to a higher layer: counted through the reverse relations by name.
    """
    return {
        "courses": objective.courses.count(),
        "exercises": objective.exercises.count(),  # type: ignore[attr-defined]
        "injects": objective.injects.count(),  # type: ignore[attr-defined]
    }


def course_list(*, user: Any) -> QuerySet[Course]:
    return Course.objects.visible_to(user).order_by("title")


def course_get(*, user: Any, slug: str) -> Course | None:
    return Course.objects.visible_to(user).prefetch_related("learning_objectives").filter(slug=slug).first()


def course_exercise_list(*, course: Course) -> QuerySet[Any]:
    """The course's exercises in course order (``CourseExercise`` rows with their exercise)."""
    return course.course_exercises.select_related("exercise").order_by("order", "pk")


def course_visible_exercise_ids(*, course: Course, user: Any) -> set[int]:
    """Which of the course's exercises the user may open (the exercises' own ``visible_to``)."""
    return set(course.exercises.visible_to(user).values_list("pk", flat=True))


def cohort_list(*, user: Any) -> CohortQuerySet:
    return (
        Cohort.objects.visible_to(user)
        .select_related("course")
        .annotate(places_taken=Count("enrolments", filter=Q(enrolments__status__in=PLACE_STATUSES)))
        .order_by("-start_date", "name")
    )


def cohort_current_list(*, user: Any) -> CohortQuerySet:
    """Cohorts that have not ended yet, soonest first."""
    return cohort_list(user=user).current().order_by("start_date", "name")


def cohort_get(*, user: Any, slug: str) -> Cohort | None:
    """One cohort the user may see, with ``places_taken`` and its staff."""
    return (
        Cohort.objects.visible_to(user)
        .select_related("course")
        .annotate(places_taken=Count("enrolments", filter=Q(enrolments__status__in=PLACE_STATUSES)))
        .prefetch_related("facilitators", "coordinators")
        .filter(slug=slug)
        .first()
    )


def cohort_schedule(*, cohort: Cohort) -> list[AgendaDay]:
    """The cohort's sessions, day by day in the cohort's time zone, with each run's planned phases.

    Two queries whatever the number of sessions: sessions with their run and exercise, then phases.
    """
    sessions = (
        cohort.sessions.select_related("exercise_run__exercise", "exercise_run__lead_facilitator")
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


def _count_and_latest(queryset: QuerySet[Any], *, latest: str = "updated_at") -> tuple[Subquery, Subquery]:
    """Two subqueries over ``queryset`` (already filtered on OuterRef): its row count and newest ``latest``."""
    grouped = queryset.order_by().values("cohort")
    count = Subquery(grouped.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    newest = Subquery(grouped.annotate(m=Max(latest)).values("m"))
    return count, newest


def cohort_page_get(*, user: Any, slug: str) -> Cohort | None:
    """The cohort for its page, with ``places_taken`` and the facts its agenda fingerprint needs, in one query.

    Runs belong to exercises, a higher layer: their model is reached through the reverse relation.
    """
    run_model = Cohort._meta.get_field("exercise_runs").related_model
    enrolment_model = Cohort._meta.get_field("enrolments").related_model
    sessions, sessions_at = _count_and_latest(Session.objects.filter(cohort=OuterRef("pk")))
    runs_qs = run_model._default_manager.filter(cohort=OuterRef("pk"))  # type: ignore[union-attr]
    runs, runs_at = _count_and_latest(runs_qs)
    _, guides_at = _count_and_latest(runs_qs, latest="exercise__updated_at")
    places, _ = _count_and_latest(
        enrolment_model._default_manager.filter(cohort=OuterRef("pk"), status__in=PLACE_STATUSES)  # type: ignore[union-attr]
    )
    return (
        Cohort.objects.visible_to(user)
        .select_related("course")
        .annotate(
            places_taken=Coalesce(places, 0),
            agenda_sessions=Coalesce(sessions, 0),
            agenda_sessions_at=sessions_at,
            agenda_runs=Coalesce(runs, 0),
            agenda_runs_at=runs_at,
            agenda_guides_at=guides_at,
        )
        .filter(slug=slug)
        .first()
    )


def cohort_agenda_version(*, cohort: Cohort) -> str:
    """A fingerprint of everything the cohort page caches (facts, staff, agenda, runs).

    It changes whenever those would: any save of the cohort (its staff too), of one of its sessions or
    runs, or of a run's exercise (editing phases saves the exercise). Reads the facts annotated by
    ``cohort_page_get``.
    """
    facts = (
        cohort.updated_at,
        cohort.agenda_sessions,  # type: ignore[attr-defined]
        cohort.agenda_sessions_at,  # type: ignore[attr-defined]
        cohort.agenda_runs,  # type: ignore[attr-defined]
        cohort.agenda_runs_at,  # type: ignore[attr-defined]
        cohort.agenda_guides_at,  # type: ignore[attr-defined]
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def cohort_unscheduled_runs(*, cohort: Cohort) -> QuerySet[Any]:
    """The cohort's exercise runs that are not in a session yet."""
    return cohort.exercise_runs.filter(session__isnull=True).select_related("exercise").order_by("pk")


def cohort_roster(*, cohort: Cohort) -> QuerySet[Any]:
    """The cohort's enrolments with their people; callers check ``trainings.view_cohort_roster`` first."""
    return cohort.enrolments.select_related("participant__user", "participant__agency").order_by(
        "participant__user__last_name", "participant__user__first_name", "participant__user__email"
    )


def session_upcoming_list(*, user: Any, limit: int = 20) -> list[Session]:
    """Scheduled sessions that have not ended, across the cohorts the user sees."""
    return list(
        Session.objects.visible_to(user)
        .scheduled()
        .upcoming()
        .select_related("cohort", "exercise_run__exercise")
        .order_by("starts_at", "pk")[:limit]
    )


# --- schedule export (trainings/views/exports.py) ----------------------------------------------


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
