"""Reads for exercise runs: one run with its phase plan and teams, upcoming runs, a person's own teams."""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from exercises.models import ExerciseRun, RunPhase, RunTeam, TeamMembership
from exercises.timeline import Placement, PlannedPhase, RunPart, run_parts
from participants.models import Enrolment


def placements_prefetch() -> Prefetch:
    """The run's placed phases (``placed_phases``) with their sessions, for ``exercise_run_parts``."""
    placed = RunPhase.objects.filter(session__isnull=False, planned_start__isnull=False).select_related("session")
    return Prefetch("run_phases", queryset=placed, to_attr="placed_phases")


def exercise_run_placements(*, run: ExerciseRun) -> dict[int, Placement]:
    """Phase id -> where it is placed; read from ``placements_prefetch()`` when it was prefetched."""
    placed = getattr(run, "placed_phases", None)
    if run.pk is None:
        placed = []
    elif placed is None:
        placed = list(placements_prefetch().queryset.filter(run=run))
    return {row.phase_id: Placement(session=row.session, starts_at=row.planned_start) for row in placed}


def exercise_run_parts(*, run: ExerciseRun) -> list[RunPart]:
    """The run's phases, session by session ("Day 1: phases 1–3"); empty while the run has no time.

    Reads ``exercise__phases`` and ``placements_prefetch()`` when they were prefetched.
    """
    return run_parts(
        phases=run.exercise.phases.all(), placements=exercise_run_placements(run=run), first_session=run.session
    )


def exercise_run_queryset(*, user: Any) -> QuerySet[ExerciseRun]:
    """The runs the user may see, with what the run page shows."""
    return (
        ExerciseRun.objects.visible_to(user)
        .select_related("exercise", "cohort__course", "session", "lead_facilitator", "teams_confirmed_by")
        .prefetch_related("exercise__phases", placements_prefetch())
    )


def exercise_run_phase_plan(*, run: ExerciseRun) -> list[PlannedPhase]:
    """The run's phases in the sessions they are planned in, in order; empty while the run has no session."""
    return [planned for part in exercise_run_parts(run=run) for planned in part.phases]


def exercise_run_team_list(*, run: ExerciseRun) -> QuerySet[RunTeam]:
    """Every team of the run with its members: for the run's staff only."""
    return (
        run.teams.select_related("team_role")
        .prefetch_related("memberships__enrolment__participant__user", "memberships__enrolment__participant__agency")
        .order_by("team_role__number")
    )


def _upcoming(runs: QuerySet[ExerciseRun], *, limit: int) -> list[ExerciseRun]:
    """Runs still to come (or not yet in a session), soonest first; one query."""
    return list(
        runs.exclude(status__in=[ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED])
        .filter(Q(session__isnull=True) | Q(session__ends_at__gte=timezone.now()))
        .select_related("exercise", "cohort", "session", "lead_facilitator")
        .order_by(F("session__starts_at").asc(nulls_last=True), "pk")[:limit]
    )


def exercise_run_upcoming_list(*, user: Any, limit: int = 20) -> list[ExerciseRun]:
    """Runs of the cohorts the user facilitates that are still to come (or not yet in a session)."""
    return _upcoming(ExerciseRun.objects.facilitated_by(user), limit=limit)


def exercise_run_upcoming_visible_list(*, user: Any, limit: int = 20) -> list[ExerciseRun]:
    """Every run the user may see that is still to come: the coordinators' view across all cohorts."""
    return _upcoming(ExerciseRun.objects.visible_to(user), limit=limit)


def _own_confirmed_memberships(user: Any) -> QuerySet[TeamMembership]:
    if not user.is_authenticated:
        return TeamMembership.objects.none()
    return TeamMembership.objects.confirmed().filter(enrolment__participant__user=user)


def team_membership_list_for_user(*, user: Any) -> QuerySet[TeamMembership]:
    """The user's OWN team in each run of their cohorts whose teams are confirmed (with its briefing).

    The one list of "my teams": the dashboard, the run page and the API read it; it agrees with the
    ``exercises.view_team_briefing`` rule. Another team's briefing is never loaded.
    """
    return (
        _own_confirmed_memberships(user)
        .filter(enrolment__status__in=(*Enrolment.ATTENDING_STATUSES, Enrolment.Status.COMPLETED))
        .exclude(run__status=ExerciseRun.Status.CANCELLED)
        .select_related("team__team_role__exercise", "run__exercise", "run__cohort", "run__session")
        .order_by("run__session__starts_at", "run_id")
    )


def team_names_for_user(*, user: Any, cohort_ids: Iterable[int]) -> dict[int, str]:
    """Run id -> the name of the user's own team, in runs of these cohorts whose teams are confirmed.

    For calendars ("Your team: …"): the name only, never another team's, never a briefing.
    """
    memberships = _own_confirmed_memberships(user).filter(run__cohort_id__in=list(cohort_ids))
    return {membership.run_id: str(membership.team) for membership in memberships.select_related("team__team_role")}
