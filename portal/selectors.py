"""Reads for the pages that combine domains: the dashboard and the cohort page."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from accounts.languages import user_language
from accounts.roles import is_coordinator, is_facilitator, is_participant
from certificates.models import Certificate
from certificates.selectors import certificate_list_for_holder
from exercises.models import Exercise, ExerciseRun, RunCellMember, TeamMembership
from exercises.selectors import (
    TeamBriefing,
    cell_place_list_for_user,
    cell_room_url,
    exercise_plan_warning_list,
    exercise_run_upcoming_list,
    exercise_run_upcoming_visible_list,
    session_upcoming_list,
    team_briefing,
    team_membership_list_for_user,
)
from participants.models import Enrolment
from participants.selectors import participant_enrolment_list
from reflections.models import Administration
from reflections.selectors import pending_administration_list
from trainings import access
from trainings.models import Cohort, CohortMember, Session
from trainings.selectors import cohort_current_list


@dataclass
class Dashboard:
    # coordinator
    current_cohorts: list[Cohort] = field(default_factory=list)
    upcoming_sessions: list[Session] = field(default_factory=list)
    # every cohort's runs still to come, not only the ones they facilitate
    programme_runs: list[ExerciseRun] = field(default_factory=list)
    plan_warnings: list[tuple[Exercise, list[str]]] = field(default_factory=list)
    # facilitator
    facilitated_cohorts: list[Cohort] = field(default_factory=list)
    upcoming_runs: list[ExerciseRun] = field(default_factory=list)
    # participant
    enrolments: list[Enrolment] = field(default_factory=list)
    # Teams come only from exercises' selector, the list side of exercises.view_team_briefing: the
    # dashboard shows each one's briefing (once the teams are confirmed, tests/test_team_briefings.py).
    memberships: list[TeamMembership] = field(default_factory=list)
    # Each membership with its team's briefing in the reader's language.
    team_briefings: list[tuple[TeamMembership, TeamBriefing]] = field(default_factory=list)
    # anyone: places in runs' simulation cells (a guest has nothing else), each with its cell room
    cell_places: list[tuple[RunCellMember, str]] = field(default_factory=list)
    # Open questionnaires of their cohorts they have still to answer (reflections' selector).
    pending_questionnaires: list[Administration] = field(default_factory=list)
    # Their certificates, ready or revoked (certificates' selector; downloads check the rule again).
    certificates: list[Certificate] = field(default_factory=list)


def dashboard_for(*, user: Any, limit: int = 20) -> Dashboard:
    """What the dashboard shows this user, one section per role they hold; a fixed number of queries."""
    dashboard = Dashboard()
    coordinator = is_coordinator(user)
    if coordinator:
        dashboard.current_cohorts = list(cohort_current_list(user=user)[:limit])
        dashboard.upcoming_sessions = session_upcoming_list(user=user, limit=limit)
        dashboard.programme_runs = exercise_run_upcoming_visible_list(user=user, limit=limit)
        dashboard.plan_warnings = exercise_plan_warning_list(user=user, limit=limit)
    # A cohort's named coordinators facilitate it even without the facilitator role.
    if is_facilitator(user) or (not coordinator and access.facilitated_cohort_ids(user)):
        dashboard.facilitated_cohorts = list(cohort_current_list(user=user).facilitated_by(user)[:limit])
        dashboard.upcoming_runs = exercise_run_upcoming_list(user=user, limit=limit)
    if is_participant(user):
        dashboard.enrolments = list(participant_enrolment_list(user=user)[:limit])
        dashboard.memberships = list(team_membership_list_for_user(user=user)[:limit])
        language = user_language(user, fallback=translation.get_language())
        for membership in dashboard.memberships:
            briefing = team_briefing(
                team_role=membership.team.team_role, exercise=membership.run.exercise, language=language
            )
            dashboard.team_briefings.append((membership, briefing))
        dashboard.certificates = certificate_list_for_holder(user=user)[:limit]
    dashboard.cell_places = [(place, cell_room_url(run=place.run)) for place in cell_place_list_for_user(user=user)]
    if access.member_cohort_ids(user):
        dashboard.pending_questionnaires = pending_administration_list(user=user, limit=limit)
    return dashboard


def cohort_page_queryset(*, user: Any) -> QuerySet[Cohort]:
    """Cohorts the user may see, as the cohort page shows them: one plain query, nothing to compile twice.

    Its slow parts (facts, staff, agenda) are cached under ``cohort_page_version``; the places taken are
    counted apart (``cohort_places_taken``), and only for those who may see them.
    """
    return Cohort.objects.visible_to(user).select_related("course")


def cohort_places_taken(*, cohort: Cohort) -> int:
    return CohortMember.objects.filter(cohort=cohort, holds_place=True).count()


def cohort_page_version(*, cohort: Cohort) -> str:
    """What the cohort page's cache is keyed on: it changes whenever the cached parts would.

    ``schedule_version`` goes up with every change to the cohort's staff, sessions, runs and their
    exercises (trainings.services.cohort_schedule_bump); ``updated_at`` with the cohort's own fields,
    and it also tells apart a cohort created again under a used id.
    """
    return f"{cohort.updated_at.timestamp():.6f}-{cohort.schedule_version}"
