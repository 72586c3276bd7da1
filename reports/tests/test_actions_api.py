import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from conduct.tests.factories import HotwashItemFactory
from exercises.tests.factories import ExerciseRunFactory
from reports.models import ImprovementAction
from reports.tests.factories import ImprovementActionFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/improvement-actions/"


@pytest.fixture
def setup():
    facilitator, contact = FacilitatorFactory(), ParticipantUserFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[facilitator]))
    action = ImprovementActionFactory(cohort=run.cohort, run=run, contact=contact)
    return run, facilitator, contact, action


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_create_with_a_hotwash_point_and_a_contact(setup):
    run, facilitator, contact, _ = setup
    item = HotwashItemFactory(run=run, kind="improvement", text="Late calls")
    response = _client(facilitator).post(
        URL,
        {"run": run.pk, "area": "Late calls", "hotwash_item": item.pk, "contact": contact.pk, "due_date": "2027-01-31"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["cohort"], body["status"], body["contact"], body["hotwash_item"]) == (
        run.cohort_id,
        "open",
        contact.pk,
        item.pk,
    )


def test_create_refusals_use_the_error_shape(setup):
    run, facilitator, *_ = setup
    response = _client(facilitator).post(URL, {"run": run.pk, "area": "x"}, format="json")
    assert response.status_code == 400
    assert "due_date" in response.json()
    elsewhere = ExerciseRunFactory()
    response = _client(facilitator).post(
        URL, {"run": elsewhere.pk, "area": "x", "due_date": "2027-01-31"}, format="json"
    )
    assert response.status_code == 400  # a run they cannot see does not exist for them
    assert _client(ParticipantUserFactory()).post(URL, {"area": "x"}, format="json").status_code == 403


def test_contact_patches_status_and_note_but_nothing_else(setup):
    _, _, contact, action = setup
    client = _client(contact)
    url = f"{URL}{action.pk}/"
    response = client.patch(url, {"status": "in_progress", "status_note": "Meeting booked."}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_note"]) == ("in_progress", "Meeting booked.")
    assert client.patch(url, {"area": "Rewritten"}, format="json").status_code == 403
    assert client.patch(url, {"status": "done", "due_date": "2030-01-01"}, format="json").status_code == 403
    assert client.patch(url, {"status": "cancelled"}, format="json").status_code == 400
    assert client.delete(url).status_code == 403
    action.refresh_from_db()
    assert (action.area, action.status) == ("Information on victims reached the NGO late.", "in_progress")


def test_staff_patch_anything_and_delete(setup):
    _, facilitator, _, action = setup
    agency = AgencyFactory()
    client = _client(facilitator)
    response = client.patch(f"{URL}{action.pk}/", {"agency": agency.pk, "status": "done"}, format="json")
    assert response.status_code == 200
    assert response.json()["agency"] == agency.pk
    assert response.json()["completed_at"]
    assert client.delete(f"{URL}{action.pk}/").status_code == 204
    assert not ImprovementAction.objects.exists()


def test_list_filters_and_query_count(setup, django_assert_max_num_queries):
    run, facilitator, _, action = setup
    today = timezone.localdate()
    late = ImprovementActionFactory(cohort=run.cohort, due_date=today - dt.timedelta(days=1))
    ImprovementActionFactory(cohort=run.cohort, due_date=today - dt.timedelta(days=1), status="cancelled")
    for _ in range(5):
        ImprovementActionFactory(cohort=run.cohort, agency=AgencyFactory())
    ImprovementActionFactory()  # another cohort's
    client = _client(CoordinatorFactory())
    client.get(URL)
    with django_assert_max_num_queries(6):
        everything = client.get(URL).json()
    assert everything["count"] == 9
    assert [a["id"] for a in _client(facilitator).get(URL, {"overdue": "true"}).json()["results"]] == [late.pk]
    assert [a["id"] for a in _client(facilitator).get(URL, {"run": run.pk}).json()["results"]] == [action.pk]
    assert _client(facilitator).get(URL, {"status": "cancelled"}).json()["count"] == 1
    assert _client(ParticipantUserFactory()).get(URL).json()["count"] == 0
