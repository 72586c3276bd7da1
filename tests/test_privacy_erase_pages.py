"""The erasure page and API: coordinators only, the reason and the typed e-mail, what erasure will do."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from audit.models import AuditEntry
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from privacy import registry
from privacy.models import ErasureRecord

pytestmark = pytest.mark.django_db

EMAIL = "ida.kowal@agency.example"


@pytest.fixture
def person():  # type: ignore[no-untyped-def]
    return EnrolmentFactory(participant=ParticipantFactory(user__email=EMAIL)).participant.user


def _url(user) -> str:  # type: ignore[no-untyped-def]
    return reverse("privacy:person_erase", kwargs={"pk": user.pk})


def test_the_page_shows_every_holding_with_its_rows_and_asks_for_the_email(
    client, person, django_assert_max_num_queries
):
    client.force_login(CoordinatorFactory())
    with django_assert_max_num_queries(len(registry.holdings()) + 15):
        response = client.get(_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    for holding in registry.holdings():
        assert str(holding.title).replace("'", "&#x27;") in body
    plan = {str(line["title"]): line["rows"] for line in response.context["plan"]}
    assert plan["Enrolments"] == 1
    assert plan["Your account"] == 1
    # Places that hold nothing about the person are folded away under the table, still named.
    empty = {str(line["title"]) for line in response.context["plan_empty"]}
    assert "Your certificates" in empty
    assert "Your certificates" not in plan
    assert "<details>" in body
    assert 'name="confirm_email"' in body
    assert 'name="reason"' in body


def test_a_wrong_email_or_no_reason_erases_nothing(client, person):
    client.force_login(CoordinatorFactory())
    response = client.post(_url(person), {"reason": "Asked by e-mail", "confirm_email": "someone@else.example"})
    assert response.status_code == 400
    assert "not the e-mail address" in response.content.decode()
    response = client.post(_url(person), {"reason": "", "confirm_email": EMAIL})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.erased_at is None
    assert not ErasureRecord.objects.exists()


def test_post_erases_and_redirects_with_a_message(client, person):
    client.force_login(CoordinatorFactory())
    response = client.post(_url(person), {"reason": "Asked by e-mail", "confirm_email": " IDA.Kowal@agency.example "})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None
    assert "was erased" in client.get(response["Location"]).content.decode()
    # An erased person has no erasure page any more.
    assert client.get(_url(person)).status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "participant"])
def test_other_roles_get_403_on_the_page_and_cannot_post(client, person, role):
    user = FacilitatorFactory() if role == "facilitator" else ParticipantFactory().user
    client.force_login(user)
    assert client.get(_url(person)).status_code == 403
    assert client.post(_url(person), {"reason": "x", "confirm_email": EMAIL}).status_code == 403
    person.refresh_from_db()
    assert person.erased_at is None


def test_the_page_asks_anonymous_people_to_sign_in(client, person):
    response = client.get(_url(person))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_roster_links_coordinators_to_the_erasure_page(client, person):
    cohort = person.participant.enrolments.get().cohort
    client.force_login(CoordinatorFactory())
    body = client.get(reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})).content.decode()
    assert _url(person) in body


# --- the API -----------------------------------------------------------------------------------------


def _api(user):  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _post(client, pk, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("api:person-erase", kwargs={"pk": pk}), data, format="json")


def test_the_api_erases_and_answers_with_the_record(person):
    response = _post(_api(CoordinatorFactory()), person.pk, reason="Asked by e-mail", confirm_email=EMAIL)
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == person.pk
    assert body["kind"] == "request"
    assert body["erased_at"]
    assert body["counts"]["accounts.User"] == 1
    assert AuditEntry.objects.filter(action="person.erase", subject_id=person.pk).count() == 1
    # Gone from what may be erased: 404.
    again = _post(_api(CoordinatorFactory()), person.pk, reason="Again", confirm_email=EMAIL)
    assert again.status_code == 404


def test_the_api_refuses_bad_input_with_400(person):
    coordinator = CoordinatorFactory()
    client = _api(coordinator)
    response = _post(client, person.pk, reason="Asked", confirm_email="wrong@agency.example")
    assert response.status_code == 400
    assert "confirm_email" in response.json()
    response = _post(client, person.pk, reason="", confirm_email=EMAIL)
    assert response.status_code == 400
    assert "reason" in response.json()
    response = _post(client, coordinator.pk, reason="Leaving", confirm_email=coordinator.email)
    assert response.status_code == 400
    assert "yourself" in str(response.json())
    person.refresh_from_db()
    assert person.erased_at is None


def test_the_api_answers_403_to_other_roles_404_to_unknown_people_and_401_anonymously(person):
    for user in (FacilitatorFactory(), ParticipantFactory().user, person):
        assert _post(_api(user), person.pk, reason="x", confirm_email=EMAIL).status_code == 403
    assert _post(_api(CoordinatorFactory()), 999_999, reason="x", confirm_email=EMAIL).status_code == 404
    assert _post(_api(None), person.pk, reason="x", confirm_email=EMAIL).status_code == 401
    person.refresh_from_db()
    assert person.erased_at is None
