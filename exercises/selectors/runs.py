"""Reads for exercise runs: one run with its phase plan and teams, upcoming runs, a person's own teams."""

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
