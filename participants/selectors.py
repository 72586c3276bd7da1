"""Reads for the participants' pages and the dashboard.

The dashboard joins every app (cohorts, runs, teams, questionnaires), so it lives here, in the
top layer, rather than in ``accounts``.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from accounts.roles import is_coordinator, is_facilitator, is_participant
from exercises.models import Exercise, ExerciseRun
from exercises.selectors import exercise_plan_warning_list, exercise_run_upcoming_list
from participants.models import Completion, Enrolment, Participant, Questionnaire, TeamMembership
from trainings import access
from trainings.models import Cohort, Session
from trainings.selectors import cohort_current_list, session_upcoming_list

# Enrolments whose person takes part (and so has questionnaires to answer).
TAKING_PART = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)


@dataclass(frozen=True)
class PendingQuestionnaire:
    questionnaire: Questionnaire
    cohort: Cohort
    run: ExerciseRun | None  # None for a questionnaire about the whole cohort


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
    pending_questionnaires: list[PendingQuestionnaire] = field(default_factory=list)


def participant_enrolment_list(*, user: Any, include_withdrawn: bool = False) -> QuerySet[Enrolment]:
    """The user's own enrolments; by default only those that still give access to their cohort."""
    enrolments = Enrolment.objects.filter(participant__user=user)
    if not include_withdrawn:
        enrolments = enrolments.active()
    return enrolments.select_related("cohort__course").order_by("-cohort__start_date", "cohort__name")


def participant_team_membership_list(*, user: Any) -> QuerySet[TeamMembership]:
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


def participant_pending_questionnaire_list(
    *, user: Any, enrolments: list[Enrolment], memberships: list[TeamMembership]
) -> list[PendingQuestionnaire]:
    """Questionnaires the user has still to answer.

    A questionnaire about an exercise is due once per run the user plays in; one with no exercise
    is due once per cohort the user takes part in. A ``Completion`` marks it answered.
    Two queries, whatever the number of runs and cohorts.
    """
    exercise_ids = {m.run.exercise_id for m in memberships}
    questionnaires = list(
        Questionnaire.objects.filter(Q(exercise_id__in=exercise_ids) | Q(exercise__isnull=True)).order_by("title", "pk")
    )
    if not questionnaires:
        return []
    done_runs: set[tuple[int, int]] = set()
    done_cohorts: set[tuple[int, int]] = set()
    completions = Completion.objects.filter(participant__user=user).values_list(
        "questionnaire_id", "cohort_id", "run_id"
    )
    for questionnaire_id, cohort_id, run_id in completions:
        if run_id is None:
            done_cohorts.add((questionnaire_id, cohort_id))
        else:
            done_runs.add((questionnaire_id, run_id))
    pending = []
    for membership in memberships:
        run = membership.run
        for questionnaire in questionnaires:
            if questionnaire.exercise_id == run.exercise_id and (questionnaire.pk, run.pk) not in done_runs:
                pending.append(PendingQuestionnaire(questionnaire=questionnaire, cohort=run.cohort, run=run))
    for enrolment in enrolments:
        if enrolment.status not in TAKING_PART:
            continue
        for questionnaire in questionnaires:
            if questionnaire.exercise_id is None and (questionnaire.pk, enrolment.cohort_id) not in done_cohorts:
                pending.append(PendingQuestionnaire(questionnaire=questionnaire, cohort=enrolment.cohort, run=None))
    return pending


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
        dashboard.memberships = list(participant_team_membership_list(user=user)[:limit])
        dashboard.pending_questionnaires = participant_pending_questionnaire_list(
            user=user, enrolments=dashboard.enrolments, memberships=dashboard.memberships
        )
    return dashboard


def participant_profile_get(*, user: Any) -> Participant | None:
    """The user's own participant profile."""
    if not user.is_authenticated:
        return None
    return Participant.objects.select_related("user", "agency").filter(user=user).first()
