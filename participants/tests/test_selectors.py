import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, UserFactory
from exercises.models import ExerciseRun
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory
from participants import selectors
from participants.models import Enrolment, Questionnaire
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, TeamMembershipFactory
from trainings import selectors as trainings_selectors
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_trainings_counts_places_with_the_enrolment_statuses_that_hold_one():
    assert set(trainings_selectors.PLACE_STATUSES) == {str(s) for s in Enrolment.PLACE_STATUSES}


def test_places_taken_counts_invited_enrolled_and_completed_people():
    cohort = CohortFactory()
    for status in Enrolment.Status.values:
        EnrolmentFactory(cohort=cohort, status=status, waitlisted_at=cohort.created_at)
    [listed] = trainings_selectors.cohort_list(user=CoordinatorFactory())
    assert listed.places_taken == 3


def _membership(participant, *, status=Enrolment.Status.ENROLLED, run_status=ExerciseRun.Status.PLANNED):
    run = ExerciseRunFactory(status=run_status)
    enrolment = EnrolmentFactory(cohort=run.cohort, participant=participant, status=status)
    return TeamMembershipFactory(run=run, team=RunTeamFactory(run=run), enrolment=enrolment)


def test_withdrawn_people_and_cancelled_runs_have_no_team_or_questionnaire():
    participant = ParticipantFactory()
    kept = _membership(participant)
    withdrawn = _membership(participant, status=Enrolment.Status.WITHDRAWN)
    cancelled = _membership(participant, run_status=ExerciseRun.Status.CANCELLED)
    for membership in (kept, withdrawn, cancelled):
        Questionnaire.objects.create(title="Reflection", exercise=membership.run.exercise)
    dashboard = selectors.dashboard_for(user=participant.user)
    assert dashboard.memberships == [kept]
    assert [(p.run, p.cohort) for p in dashboard.pending_questionnaires] == [(kept.run, kept.run.cohort)]
    # The cohort of a cancelled run is still theirs; a withdrawn enrolment is not.
    assert {e.cohort for e in dashboard.enrolments} == {kept.run.cohort, cancelled.run.cohort}


def test_invited_people_have_no_cohort_questionnaire_yet():
    participant = ParticipantFactory()
    EnrolmentFactory(participant=participant, status=Enrolment.Status.INVITED)
    Questionnaire.objects.create(title="Course evaluation")
    dashboard = selectors.dashboard_for(user=participant.user)
    assert len(dashboard.enrolments) == 1
    assert dashboard.pending_questionnaires == []


def test_a_cohorts_named_coordinator_gets_the_facilitator_section_without_the_role():
    user = UserFactory()
    cohort = CohortFactory(coordinators=[user])
    run = ExerciseRunFactory(cohort=cohort)
    dashboard = selectors.dashboard_for(user=user)
    assert dashboard.facilitated_cohorts == [cohort]
    assert dashboard.upcoming_runs == [run]
    assert dashboard.current_cohorts == []


def test_facilitator_gets_no_participant_sections():
    facilitator = FacilitatorFactory()
    dashboard = selectors.dashboard_for(user=facilitator)
    assert dashboard.enrolments == dashboard.memberships == dashboard.pending_questionnaires == []
