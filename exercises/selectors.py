"""Reads for the exercise pages: the facilitator guide, its plan warnings, runs, teams and the agenda."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from exercises.models import CourseExercise, Exercise, ExerciseRun, Inject, Phase, RunTeam, TeamMembership
from exercises.timeline import PlannedPhase, phase_timeline
from participants.models import Enrolment
from trainings.models import Cohort, Course, LearningObjective, Session


@dataclass(frozen=True)
class GuideInject:
    inject: Inject
    at_minute: int | None  # minutes from the start of the exercise; None when it has no phase


@dataclass(frozen=True)
class GuidePhase:
    phase: Phase
    start_minute: int
    end_minute: int
    injects: list[GuideInject]


@dataclass(frozen=True)
class ExerciseGuide:
    exercise: Exercise
    phases: list[GuidePhase]
    unphased_injects: list[Inject]
    injects: list[GuideInject]  # every inject, in the order the facilitator releases them
    phase_minutes: int


def _phase_minutes() -> Coalesce:
    """The sum of an exercise's phase minutes as a subquery: safe on ``visible_to``'s joined, distinct rows."""
    total = (
        Phase.objects.filter(exercise=OuterRef("pk"))
        .order_by()
        .values("exercise")
        .annotate(total=Sum("planned_minutes"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def exercise_list(*, user: Any) -> QuerySet[Exercise]:
    """Exercises the user may open, each annotated with ``phase_minutes``."""
    return Exercise.objects.visible_to(user).annotate(phase_minutes=_phase_minutes()).order_by("name")


def exercise_get(*, user: Any, slug: str) -> Exercise | None:
    """One exercise with everything its facilitator guide shows, in a fixed number of queries."""
    injects = (
        Inject.objects.select_related("phase", "depends_on")
        .prefetch_related("target_roles", "learning_objectives")
        .order_by("number")
    )
    return (
        Exercise.objects.visible_to(user)
        .filter(slug=slug)
        .annotate(phase_minutes=_phase_minutes())
        .select_related("variant_of")
        .prefetch_related(
            "learning_objectives",
            "phases",
            "team_roles",
            "handouts",
            Prefetch("injects", queryset=injects),
        )
        .first()
    )


def exercise_plan_warnings(*, exercise: Exercise) -> list[str]:
    """What a coordinator should know about the phase plan against the planned duration."""
    planned = exercise.planned_minutes
    total = getattr(exercise, "phase_minutes", None)
    if total is None:
        total = sum(phase.planned_minutes for phase in exercise.phases.all())
    if total == planned:
        return []
    if total == 0:
        return [_("No phases are planned yet: all %(planned)s minutes are unplanned.") % {"planned": planned}]
    if total > planned:
        return [
            _("The phases add up to %(total)s minutes, %(excess)s more than the planned %(planned)s minutes.")
            % {"total": total, "excess": total - planned, "planned": planned}
        ]
    return [
        _("The phases add up to %(total)s minutes and leave %(gap)s of the planned %(planned)s minutes unplanned.")
        % {"total": total, "gap": planned - total, "planned": planned}
    ]


def exercise_plan_warning_list(*, user: Any, limit: int = 20) -> list[tuple[Exercise, list[str]]]:
    """Exercises whose phases do not fill their planned duration exactly, with the warnings."""
    exercises = exercise_list(user=user).exclude(Q(phase_minutes=F("planned_minutes")))[:limit]
    return [(exercise, exercise_plan_warnings(exercise=exercise)) for exercise in exercises]


def exercise_guide(*, exercise: Exercise) -> ExerciseGuide:
    """Phases with their minute ranges and injects, from an exercise loaded by ``exercise_get``."""
    injects_by_phase: dict[int, list[Inject]] = {}
    unphased: list[Inject] = []
    for inject in exercise.injects.all():
        if inject.phase_id is None:
            unphased.append(inject)
        else:
            injects_by_phase.setdefault(inject.phase_id, []).append(inject)
    phases = []
    ordered: list[GuideInject] = []
    cursor = 0
    for phase in exercise.phases.all():
        phase_injects = sorted(injects_by_phase.get(phase.pk, []), key=lambda i: (i.minute_offset, i.number))
        guide_injects = [GuideInject(inject=i, at_minute=cursor + i.minute_offset) for i in phase_injects]
        phases.append(
            GuidePhase(
                phase=phase, start_minute=cursor, end_minute=cursor + phase.planned_minutes, injects=guide_injects
            )
        )
        ordered.extend(guide_injects)
        cursor += phase.planned_minutes
    ordered.extend(GuideInject(inject=i, at_minute=None) for i in unphased)
    return ExerciseGuide(
        exercise=exercise, phases=phases, unphased_injects=unphased, injects=ordered, phase_minutes=cursor
    )


def exercise_run_get(*, user: Any, pk: int) -> ExerciseRun | None:
    return (
        ExerciseRun.objects.visible_to(user)
        .select_related("exercise", "cohort__course", "session", "lead_facilitator")
        .prefetch_related("exercise__phases")
        .filter(pk=pk)
        .first()
    )


def exercise_run_phase_plan(*, run: ExerciseRun) -> list[PlannedPhase]:
    """The run's phases inside its session's time; empty while the run has no session."""
    if run.session is None:
        return []
    return phase_timeline(
        starts_at=run.session.starts_at, phases=run.exercise.phases.all(), ends_at=run.session.ends_at
    )


def exercise_run_team_list(*, run: ExerciseRun) -> QuerySet[RunTeam]:
    """Every team of the run with its members: for the run's staff only."""
    return (
        run.teams.select_related("team_role")
        .prefetch_related("memberships__enrolment__participant__user", "memberships__enrolment__participant__agency")
        .order_by("team_role__number")
    )


def exercise_run_own_team(*, run: ExerciseRun, user: Any) -> RunTeam | None:
    """The team the user plays in during this run, if any."""
    if not user.is_authenticated:
        return None
    return run.teams.filter(memberships__enrolment__participant__user=user).select_related("team_role").first()


def exercise_run_upcoming_list(*, user: Any, limit: int = 20) -> list[ExerciseRun]:
    """Runs of the cohorts the user facilitates that are still to come (or not yet in a session)."""
    return list(
        ExerciseRun.objects.facilitated_by(user)
        .exclude(status__in=[ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED])
        .filter(Q(session__isnull=True) | Q(session__ends_at__gte=timezone.now()))
        .select_related("exercise", "cohort", "session", "lead_facilitator")
        .order_by(F("session__starts_at").asc(nulls_last=True), "pk")[:limit]
    )


def team_membership_list_for_user(*, user: Any) -> QuerySet[TeamMembership]:
    """The user's OWN team in each run of their cohorts; another team's briefing is never loaded."""
    return (
        TeamMembership.objects.filter(
            enrolment__participant__user=user,
            enrolment__status__in=(*Enrolment.ATTENDING_STATUSES, Enrolment.Status.COMPLETED),
        )
        .exclude(run__status=ExerciseRun.Status.CANCELLED)
        .select_related("team__team_role", "run__exercise", "run__cohort", "run__session")
        .order_by("run__session__starts_at", "run_id")
    )


# --- the cohort's agenda: sessions with the runs they hold -------------------------------------


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


# --- the catalogue seen from exercises -------------------------------------------------------


def objective_usage(*, objective: LearningObjective) -> dict[str, int]:
    """How many courses, exercises and injects use the objective (shown before retiring it)."""
    return {
        "courses": objective.courses.count(),
        "exercises": Exercise.objects.filter(learning_objectives=objective).count(),
        "injects": Inject.objects.filter(learning_objectives=objective).count(),
    }


def course_exercise_list(*, course: Course) -> QuerySet[CourseExercise]:
    """The course's exercises in course order (``CourseExercise`` rows with their exercise)."""
    return CourseExercise.objects.filter(course=course).select_related("exercise").order_by("order", "pk")


def course_visible_exercise_ids(*, course: Course, user: Any) -> set[int]:
    """Which of the course's exercises the user may open (the exercises' own ``visible_to``)."""
    return set(Exercise.objects.filter(courses=course).visible_to(user).values_list("pk", flat=True))
