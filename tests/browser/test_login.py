import pytest
from playwright.sync_api import expect

from accounts.tests.factories import CoordinatorFactory, ParticipantUserFactory
from exercises.tests.factories import ExerciseRunFactory
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from tests.browser.helpers import open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_signs_in_and_sees_their_dashboard(page, live_server, login):
    CoordinatorFactory(email="coord@example.org", first_name="Ada")
    login("coord@example.org", "concord-pass-1")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    open_menu(page)
    expect(page.get_by_role("link", name="Cohorts").first).to_be_visible()


def test_a_participant_sees_their_cohort_but_not_the_facilitator_guide(page, live_server, login):
    participant = ParticipantFactory(user=ParticipantUserFactory(email="p@example.org"))
    enrolment = EnrolmentFactory(participant=participant)
    run = ExerciseRunFactory(cohort=enrolment.cohort)
    login("p@example.org", "concord-pass-1")
    expect(page.get_by_text(enrolment.cohort.name).first).to_be_visible()
    response = page.goto(f"{live_server.url}{run.exercise.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
