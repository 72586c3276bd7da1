"""Reads for the pages that combine domains: the dashboard and the cohort page."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.roles import is_coordinator, is_facilitator, is_participant
from exercises.models import Exercise, ExerciseRun, TeamMembership
from exercises.selectors import (
    exercise_plan_warning_list,
    exercise_run_upcoming_list,
    session_upcoming_list,
    team_membership_list_for_user,
)
from participants.models import Enrolment
from participants.selectors import participant_enrolment_list
from trainings import access
from trainings.models import Cohort, CohortMember, Session
from trainings.selectors import cohort_current_list


@dataclass
class Dashboard:
    # coordinator
    current_cohorts: list[Cohort] = field(default_factory=list)
    upcoming_sessions: list[Session] = field(default_factory=list)
    plan_warnings: list[tuple[Exercise, list[str]]] = field(default_factory=list)
    # facilitator
    facilitated_cohorts: list[Cohort] = field(default_factory=list)
    upcoming_runs: list[ExerciseRun] = field(default_factory=list)
    # participant
    enrolments: list[Enrolment] = field(default_factory=list)
    memberships: list[TeamMembership] = field(default_factory=list)


def dashboard_for(*, user: Any, limit: int = 20) -> Dashboard:
    """What the dashboard shows this user, one section per role they hold; a fixed number of queries."""
    dashboard = Dashboard()
    coordinator = is_coordinator(user)
    if coordinator:
        dashboard.current_cohorts = list(cohort_current_list(user=user)[:limit])
        dashboard.upcoming_sessions = session_upcoming_list(user=user, limit=limit)
        dashboard.plan_warnings = exercise_plan_warning_list(user=user, limit=limit)
    # A cohort's named coordinators facilitate it even without the facilitator role.
    if is_facilitator(user) or (not coordinator and access.facilitated_cohort_ids(user)):
        dashboard.facilitated_cohorts = list(cohort_current_list(user=user).facilitated_by(user)[:limit])
        dashboard.upcoming_runs = exercise_run_upcoming_list(user=user, limit=limit)
    if is_participant(user):
        dashboard.enrolments = list(participant_enrolment_list(user=user)[:limit])
        dashboard.memberships = list(team_membership_list_for_user(user=user)[:limit])
    return dashboard


def _count_and_latest(queryset: QuerySet[Any], *, latest: str = "updated_at") -> tuple[Subquery, Subquery]:
    """Two subqueries over ``queryset`` (already filtered on OuterRef): its row count and newest ``latest``."""
    grouped = queryset.order_by().values("cohort")
    count = Subquery(grouped.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    newest = Subquery(grouped.annotate(m=Max(latest)).values("m"))
    return count, newest


def cohort_page_get(*, user: Any, slug: str) -> Cohort | None:
    """The cohort for its page, with ``places_taken`` and the facts its agenda fingerprint needs, in one query."""
    sessions, sessions_at = _count_and_latest(Session.objects.filter(cohort=OuterRef("pk")))
    runs_qs = ExerciseRun.objects.filter(cohort=OuterRef("pk"))
    runs, runs_at = _count_and_latest(runs_qs)
    _, guides_at = _count_and_latest(runs_qs, latest="exercise__updated_at")
    places, _ = _count_and_latest(CohortMember.objects.filter(cohort=OuterRef("pk"), holds_place=True), latest="pk")
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
