"""The participants API: profiles and enrolments, with the roles' limits."""

import pytest

from accounts.models import User
from accounts.roles import is_participant
from accounts.tests.factories import FacilitatorFactory
from participants.models import Enrolment, EnrolmentStatusChange, Participant
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def people(facilitator):
    """Ana in the facilitator's cohort A; Boris in cohort B run by someone else."""
    cohort_a = CohortFactory(name="A", facilitators=[facilitator], capacity=2)
    cohort_b = CohortFactory(name="B", facilitators=[FacilitatorFactory()])
    ana = EnrolmentFactory(cohort=cohort_a, participant__user__first_name="Ana").participant
    boris = EnrolmentFactory(cohort=cohort_b, participant__user__first_name="Boris").participant
    return ana, boris


def _ids(response) -> set:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- participants ----------------------------------------------------------------------------


def test_who_sees_which_profiles(api_client, coordinator, facilitator, people):
    ana, boris = people
    api_client.force_login(coordinator)
    assert _ids(api_client.get(f"{API}/participants/")) == {ana.pk, boris.pk}
    api_client.force_login(facilitator)
    assert _ids(api_client.get(f"{API}/participants/")) == {ana.pk}
    assert api_client.get(f"{API}/participants/{boris.pk}/").status_code == 404
    api_client.force_login(ana.user)
    assert _ids(api_client.get(f"{API}/participants/")) == {ana.pk}
    assert api_client.get(f"{API}/participants/{ana.pk}/").json()["first_name"] == "Ana"
    assert api_client.get(f"{API}/participants/{boris.pk}/").status_code == 404


def test_coordinator_creates_a_participant(api_client, coordinator):
    agency = AgencyFactory()
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/participants/",
        {
            "email": "jan.kowalski@example.org",
            "first_name": "Jan",
            "last_name": "Kowalski",
            "agency": agency.pk,
            "country": "pl",
            "preferred_language": "pl",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["email"], data["country"], data["agency"]["id"]) == ("jan.kowalski@example.org", "PL", agency.pk)
    assert is_participant(User.objects.get(email="jan.kowalski@example.org"))


def test_bad_participant_input_saves_nothing(api_client, coordinator, people):
    ana, _ = people
    users = User.objects.count()
    api_client.force_login(coordinator)
    for payload, field in [
        ({"email": "nope"}, "email"),
        ({"email": ana.user.email}, "email"),
        ({"email": "new@example.org", "country": "XYZ"}, "country"),
        ({"email": "new@example.org", "country": "1A"}, "country"),
        ({"email": "new@example.org", "preferred_language": "fr"}, "preferred_language"),
    ]:
        response = api_client.post(f"{API}/participants/", payload)
        assert response.status_code == 400, payload
        assert field in response.json(), (payload, response.json())
    assert (User.objects.count(), Participant.objects.count()) == (users, 2)


def test_participant_edits_own_position_and_language_only(api_client, people):
    ana, boris = people
    api_client.force_login(ana.user)
    response = api_client.patch(f"{API}/participants/{ana.pk}/", {"position": "Detective", "preferred_language": "ro"})
    assert response.status_code == 200, response.content
    assert (response.json()["position"], response.json()["preferred_language"]) == ("Detective", "ro")

    refused = api_client.patch(f"{API}/participants/{ana.pk}/", {"position": "Chief", "agency": None})
    assert refused.status_code == 400
    assert "agency" in refused.json()
    ana.refresh_from_db()
    assert (ana.position, ana.agency_id is not None) == ("Detective", True)

    assert api_client.patch(f"{API}/participants/{boris.pk}/", {"position": "X"}).status_code == 404
    assert api_client.post(f"{API}/participants/", {"email": "friend@example.org"}).status_code == 403


def test_facilitator_reads_but_does_not_edit_profiles(api_client, facilitator, people):
    ana, _ = people
    api_client.force_login(facilitator)
    assert api_client.patch(f"{API}/participants/{ana.pk}/", {"position": "X"}).status_code == 403


def test_coordinator_edits_any_field(api_client, coordinator, people):
    ana, _ = people
    agency = AgencyFactory()
    api_client.force_login(coordinator)
    response = api_client.patch(
        f"{API}/participants/{ana.pk}/", {"agency": agency.pk, "last_name": "Nowak", "country": "de"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["agency"]["id"], response.json()["last_name"], response.json()["country"]) == (
        agency.pk,
        "Nowak",
        "DE",
    )


def test_participant_filters(api_client, coordinator, people):
    ana, boris = people
    api_client.force_login(coordinator)
    cohort_b = boris.enrolments.get().cohort
    assert _ids(api_client.get(f"{API}/participants/", {"cohort": cohort_b.pk})) == {boris.pk}
    assert _ids(api_client.get(f"{API}/participants/", {"agency": ana.agency_id})) == {ana.pk}
    assert _ids(api_client.get(f"{API}/participants/", {"search": "Boris"})) == {boris.pk}


# --- enrolments ------------------------------------------------------------------------------


def test_who_sees_which_enrolments(api_client, coordinator, facilitator, people):
    ana, boris = people
    ana_enrolment, boris_enrolment = ana.enrolments.get(), boris.enrolments.get()
    api_client.force_login(coordinator)
    assert _ids(api_client.get(f"{API}/enrolments/")) == {ana_enrolment.pk, boris_enrolment.pk}
    api_client.force_login(facilitator)
    assert _ids(api_client.get(f"{API}/enrolments/")) == {ana_enrolment.pk}
    api_client.force_login(ana.user)
    assert _ids(api_client.get(f"{API}/enrolments/")) == {ana_enrolment.pk}
    assert api_client.get(f"{API}/enrolments/{boris_enrolment.pk}/").status_code == 404


def test_coordinator_enrols_and_changes_status_with_history(api_client, coordinator, people):
    ana, _ = people
    cohort_a = ana.enrolments.get().cohort
    newcomer = ParticipantFactory()
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/enrolments/", {"cohort": cohort_a.pk, "participant": newcomer.pk, "status": "enrolled"}
    )
    assert response.status_code == 201, response.content
    enrolment_id = response.json()["id"]
    assert response.json()["status"] == "enrolled"

    response = api_client.post(f"{API}/enrolments/{enrolment_id}/status/", {"status": "withdrawn", "note": "Ill"})
    assert response.status_code == 200, response.content
    history = response.json()["status_changes"]
    assert [(h["from_status"], h["to_status"], h["note"]) for h in history] == [
        (None, "enrolled", ""),
        ("enrolled", "withdrawn", "Ill"),
    ]
    assert {h["changed_by"]["id"] for h in history} == {coordinator.pk}

    same = api_client.post(f"{API}/enrolments/{enrolment_id}/status/", {"status": "withdrawn"})
    assert same.status_code == 400
    assert "status" in same.json()
    assert EnrolmentStatusChange.objects.filter(enrolment_id=enrolment_id).count() == 2


def test_enrolment_beyond_capacity_is_refused(api_client, coordinator, people):
    ana, _ = people
    cohort_a = ana.enrolments.get().cohort  # capacity 2, one place taken
    api_client.force_login(coordinator)
    first = api_client.post(f"{API}/enrolments/", {"cohort": cohort_a.pk, "participant": ParticipantFactory().pk})
    assert first.status_code == 201, first.content
    before = (Enrolment.objects.count(), EnrolmentStatusChange.objects.count())
    response = api_client.post(f"{API}/enrolments/", {"cohort": cohort_a.pk, "participant": ParticipantFactory().pk})
    assert response.status_code == 400
    assert "full" in response.json()["cohort"][0]
    assert (Enrolment.objects.count(), EnrolmentStatusChange.objects.count()) == before


def test_new_enrolments_are_invited_or_enrolled(api_client, coordinator, people):
    ana, _ = people
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/enrolments/",
        {"cohort": ana.enrolments.get().cohort_id, "participant": ParticipantFactory().pk, "status": "completed"},
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_only_coordinators_write_enrolments(api_client, facilitator, people):
    ana, _ = people
    enrolment = ana.enrolments.get()
    for user in (facilitator, ana.user):
        api_client.force_login(user)
        created = api_client.post(
            f"{API}/enrolments/", {"cohort": enrolment.cohort_id, "participant": ParticipantFactory().pk}
        )
        assert created.status_code == 403
        changed = api_client.post(f"{API}/enrolments/{enrolment.pk}/status/", {"status": "withdrawn"})
        assert changed.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    assert Enrolment.objects.count() == 2


def test_enrolment_filters(api_client, coordinator, people):
    ana, boris = people
    EnrolmentFactory(cohort=ana.enrolments.get().cohort, status="withdrawn")
    api_client.force_login(coordinator)
    cohort_a = ana.enrolments.get().cohort_id
    assert len(_ids(api_client.get(f"{API}/enrolments/", {"cohort": cohort_a}))) == 2
    withdrawn = api_client.get(f"{API}/enrolments/", {"cohort": cohort_a, "status": ["withdrawn", "completed"]})
    assert len(_ids(withdrawn)) == 1
    assert _ids(api_client.get(f"{API}/enrolments/", {"participant": boris.pk})) == {boris.enrolments.get().pk}


def test_creating_a_participant_never_renames_staff_or_makes_them_participants(api_client, coordinator):
    """Issue 7, item 2: `{"email": "admin@example.org", "first_name": "Renamed"}` renamed the admin."""
    admin = User.objects.create_superuser("admin@example.org", "a-long-password-1", first_name="Ada")
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/participants/", {"email": "Admin@Example.org", "first_name": "Renamed"})
    assert response.status_code == 400
    assert "member of staff" in response.json()["email"][0]
    admin.refresh_from_db()
    assert admin.first_name == "Ada"
    assert not Participant.objects.filter(user=admin).exists()
    assert not is_participant(User.objects.get(pk=admin.pk))
