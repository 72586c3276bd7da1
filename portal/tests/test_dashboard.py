import pytest

from accounts.tests.factories import FacilitatorFactory, UserFactory
from exercises.models import ExerciseRun
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamMembershipFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from portal.selectors import dashboard_for
from portal.tests.teams import teams_confirm
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _membership(participant, *, status=Enrolment.Status.ENROLLED, run_status=ExerciseRun.Status.PLANNED):
    run = ExerciseRunFactory(status=run_status)
    enrolment = EnrolmentFactory(cohort=run.cohort, participant=participant, status=status)
    membership = TeamMembershipFactory(run=run, team=RunTeamFactory(run=run), enrolment=enrolment)
    teams_confirm(run)
    return membership


def test_withdrawn_people_and_cancelled_runs_have_no_team():
    participant = ParticipantFactory()
    kept = _membership(participant)
    _membership(participant, status=Enrolment.Status.WITHDRAWN)
    cancelled = _membership(participant, run_status=ExerciseRun.Status.CANCELLED)
    dashboard = dashboard_for(user=participant.user)
    assert dashboard.memberships == [kept]
    # The cohort of a cancelled run is still theirs; a withdrawn enrolment is not.
    assert {e.cohort for e in dashboard.enrolments} == {kept.run.cohort, cancelled.run.cohort}


def test_a_cohorts_named_coordinator_gets_the_facilitator_section_without_the_role():
    user = UserFactory()
    cohort = CohortFactory(coordinators=[user])
    run = ExerciseRunFactory(cohort=cohort)
    dashboard = dashboard_for(user=user)
    assert dashboard.facilitated_cohorts == [cohort]
    assert dashboard.upcoming_runs == [run]
    assert dashboard.current_cohorts == []


def test_facilitator_gets_no_participant_sections():
    facilitator = FacilitatorFactory()
    dashboard = dashboard_for(user=facilitator)
    assert dashboard.enrolments == dashboard.memberships == []
