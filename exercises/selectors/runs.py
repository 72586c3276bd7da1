"""Reads for exercise runs: one run with its phase plan and teams, upcoming runs, a person's own teams."""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from exercises.models import ExerciseRun, RunTeam, TeamMembership
from exercises.timeline import PlannedPhase, phase_timeline
from participants.models import Enrolment


def exercise_run_queryset(*, user: Any) -> QuerySet[ExerciseRun]:
    """The runs the user may see, with what the run page shows."""
    return (
        ExerciseRun.objects.visible_to(user)
        .select_related("exercise", "cohort__course", "session", "lead_facilitator", "teams_confirmed_by")
        .prefetch_related("exercise__phases")
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


def exercise_run_upcoming_list(*, user: Any, limit: int = 20) -> list[ExerciseRun]:
    """Runs of the cohorts the user facilitates that are still to come (or not yet in a session)."""
    return list(
        ExerciseRun.objects.facilitated_by(user)
        .exclude(status__in=[ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED])
        .filter(Q(session__isnull=True) | Q(session__ends_at__gte=timezone.now()))
        .select_related("exercise", "cohort", "session", "lead_facilitator")
        .order_by(F("session__starts_at").asc(nulls_last=True), "pk")[:limit]
    )


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
        .select_related("team__team_role", "run__exercise", "run__cohort", "run__session")
        .order_by("run__session__starts_at", "run_id")
    )


def team_names_for_user(*, user: Any, cohort_ids: Iterable[int]) -> dict[int, str]:
    """Run id -> the name of the user's own team, in runs of these cohorts whose teams are confirmed.

    For calendars ("Your team: …"): the name only, never another team's, never a briefing.
    """
    memberships = _own_confirmed_memberships(user).filter(run__cohort_id__in=list(cohort_ids))
    return {membership.run_id: str(membership.team) for membership in memberships.select_related("team__team_role")}
