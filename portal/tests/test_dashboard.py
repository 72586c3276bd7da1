import datetime as dt

import pytest
from django.urls import reverse

from accounts.tests.factories import FacilitatorFactory, UserFactory
from exercises.models import ExerciseRun
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamMembershipFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from portal.selectors import dashboard_for
from portal.tests.teams import teams_confirm
from trainings.models import Session
from trainings.tests.factories import CohortFactory, SessionFactory

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


def _runs_to_come(count: int) -> list[ExerciseRun]:
    runs = []
    for _ in range(count):
        cohort = CohortFactory(start_date=dt.date.today() + dt.timedelta(days=7))
        runs.append(ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort)))
    return runs


def test_a_coordinator_sees_every_cohorts_upcoming_runs(coordinator):
    later, sooner = _runs_to_come(2)
    Session.objects.filter(pk=sooner.session_id).update(
        starts_at=later.session.starts_at - dt.timedelta(days=1), ends_at=later.session.ends_at - dt.timedelta(days=1)
    )
    unplaced = ExerciseRunFactory()
    ExerciseRunFactory(status=ExerciseRun.Status.FINISHED)
    ExerciseRunFactory(status=ExerciseRun.Status.CANCELLED)
    past_cohort = CohortFactory(start_date=dt.date.today() - dt.timedelta(days=30))
    ExerciseRunFactory(cohort=past_cohort, session=SessionFactory(cohort=past_cohort))
    dashboard = dashboard_for(user=coordinator)
    assert dashboard.programme_runs == [sooner, later, unplaced]
    assert dashboard.upcoming_runs == []  # they facilitate none of these cohorts


def test_the_coordinators_dashboard_lists_runs_in_bounded_queries(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    _runs_to_come(2)
    with django_assert_max_num_queries(30) as few:
        html = client.get(reverse("dashboard")).content.decode()
    assert 'id="programme-runs-heading"' in html
    _runs_to_come(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("dashboard")).content.decode()
    assert html.count('class="badge">Planned</span>') >= 10


def test_a_participant_gets_no_programme_runs():
    participant = ParticipantFactory()
    _runs_to_come(1)
    assert dashboard_for(user=participant.user).programme_runs == []
