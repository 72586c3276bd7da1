"""A cohort's retention hold: the services, the page and the API, for every role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from audit.models import AuditEntry
from core.exceptions import ApplicationError
from trainings import services
from trainings.models import Cohort, CohortMember
from trainings.selectors import cohort_retention
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/cohorts"


@pytest.fixture
def cohort(facilitator):
    return CohortFactory(start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 6), facilitators=[facilitator])


@pytest.fixture
def member(cohort):
    person = ParticipantUserFactory()
    CohortMember.objects.create(cohort=cohort, user=person, holds_place=True)
    return person


def _page(cohort: Cohort) -> str:
    return reverse("trainings:cohort_retention", kwargs={"slug": cohort.slug})


# --- services ---------------------------------------------------------------------------------------


def test_hold_records_reason_holder_and_time_and_is_audited(cohort, coordinator):
    before = timezone.now()
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="  Inquiry 12/2026 needs the records. ")
    cohort.refresh_from_db()
    assert cohort.retention_hold == "Inquiry 12/2026 needs the records."
    assert cohort.retention_held_by == coordinator
    assert cohort.retention_held_at >= before
    entry = AuditEntry.objects.get(action="cohort.retention_hold")
    assert entry.target_id == str(cohort.pk)
    # The reason may name people: it is not copied into the trail.
    assert "Inquiry" not in str(entry.detail)


def test_a_hold_is_no_change_of_the_cohort_for_calendars(cohort, coordinator):
    before = Cohort.objects.get(pk=cohort.pk).updated_at
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="Inquiry")
    services.cohort_retention_release(cohort=cohort, by=coordinator)
    assert Cohort.objects.get(pk=cohort.pk).updated_at == before


def test_holding_again_replaces_the_reason_and_the_holder(cohort, coordinator):
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="First")
    other = CoordinatorFactory()
    services.cohort_retention_hold(cohort=cohort, by=other, reason="Second")
    cohort.refresh_from_db()
    assert (cohort.retention_hold, cohort.retention_held_by) == ("Second", other)


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Say why"), ("   ", "Say why"), ("x" * 1001, "1000 characters")],
)
def test_hold_refuses_a_missing_or_long_reason_and_saves_nothing(cohort, coordinator, reason, message):
    with pytest.raises(ApplicationError) as raised:
        services.cohort_retention_hold(cohort=cohort, by=coordinator, reason=reason)
    assert message in " ".join(raised.value.as_dict()["reason"])
    cohort.refresh_from_db()
    assert (cohort.retention_hold, cohort.retention_held_by, cohort.retention_held_at) == ("", None, None)
    assert not AuditEntry.objects.filter(action="cohort.retention_hold").exists()


def test_a_reason_of_exactly_1000_characters_is_taken(cohort, coordinator):
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="x" * 1000)
    cohort.refresh_from_db()
    assert len(cohort.retention_hold) == 1000


def test_release_clears_the_hold_and_is_audited(cohort, coordinator):
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="Inquiry")
    services.cohort_retention_release(cohort=cohort, by=coordinator)
    cohort.refresh_from_db()
    assert (cohort.retention_hold, cohort.retention_held_by, cohort.retention_held_at) == ("", None, None)
    assert AuditEntry.objects.filter(action="cohort.retention_release", target_id=str(cohort.pk)).count() == 1


def test_release_of_a_cohort_not_held_is_refused(cohort, coordinator):
    with pytest.raises(ApplicationError, match="not held"):
        services.cohort_retention_release(cohort=cohort, by=coordinator)
    assert not AuditEntry.objects.filter(action="cohort.retention_release").exists()


def test_the_due_date_is_the_end_date_plus_the_setting(cohort, settings):
    settings.CONCORD_RETENTION_COHORT_DAYS = 10
    facts = cohort_retention(cohort=cohort, today=dt.date(2026, 3, 15))
    assert facts.due == dt.date(2026, 3, 16)
    assert not facts.is_due
    assert cohort_retention(cohort=cohort, today=dt.date(2026, 3, 16)).is_due
    assert not facts.held


# --- the rule ---------------------------------------------------------------------------------------


def test_who_may_hold(cohort, coordinator, facilitator, member):
    named = FacilitatorFactory()
    cohort.coordinators.add(named)
    assert coordinator.has_perm("trainings.hold_cohort_data", cohort)
    assert named.has_perm("trainings.hold_cohort_data", cohort)
    assert not facilitator.has_perm("trainings.hold_cohort_data", cohort)
    assert not member.has_perm("trainings.hold_cohort_data", cohort)
    # A named coordinator of another cohort only.
    assert not named.has_perm("trainings.hold_cohort_data", CohortFactory())


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_shows_the_due_date_and_holds_with_a_reason(client, cohort, coordinator, settings):
    settings.CONCORD_RETENTION_COHORT_DAYS = 30
    client.force_login(coordinator)
    response = client.get(_page(cohort))
    assert response.status_code == 200
    assert "Sunday, 5 April 2026" in response.content.decode()  # 6 March + 30 days
    assert "30 days after the cohort ends" in response.content.decode()
    response = client.post(_page(cohort), {"action": "hold", "reason": "A court case"})
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.retention_hold, cohort.retention_held_by) == ("A court case", coordinator)
    page = client.get(_page(cohort)).content.decode()
    assert "A court case" in page
    assert str(coordinator) in page
    assert "Release the hold" in page


def test_the_page_shows_a_refused_reason_on_the_form(client, cohort, coordinator):
    client.force_login(coordinator)
    response = client.post(_page(cohort), {"action": "hold", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    cohort.refresh_from_db()
    assert cohort.retention_hold == ""


def test_the_page_releases(client, cohort, coordinator):
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="A court case")
    client.force_login(coordinator)
    response = client.post(_page(cohort), {"action": "release"})
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.retention_hold == ""


def test_a_named_coordinator_uses_the_page(client, cohort):
    named = FacilitatorFactory()
    cohort.coordinators.add(named)
    client.force_login(named)
    assert client.get(_page(cohort)).status_code == 200
    client.post(_page(cohort), {"action": "hold", "reason": "Inquiry"})
    cohort.refresh_from_db()
    assert cohort.retention_held_by == named


def test_the_page_refuses_others(client, cohort, facilitator, member):
    client.force_login(facilitator)  # sees the cohort, may not hold it
    assert client.get(_page(cohort)).status_code == 403
    assert client.post(_page(cohort), {"action": "hold", "reason": "x"}).status_code == 403
    client.force_login(member)
    assert client.get(_page(cohort)).status_code == 403
    client.force_login(FacilitatorFactory())  # does not see it
    assert client.get(_page(cohort)).status_code == 404
    client.logout()
    response = client.get(_page(cohort))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    cohort.refresh_from_db()
    assert cohort.retention_hold == ""


def test_the_cohort_page_links_to_it_for_those_who_may(client, cohort, coordinator, facilitator):
    client.force_login(coordinator)
    assert _page(cohort) in client.get(cohort.get_absolute_url()).content.decode()
    client.force_login(facilitator)
    assert _page(cohort) not in client.get(cohort.get_absolute_url()).content.decode()


# --- the API ----------------------------------------------------------------------------------------


def test_api_holds_and_releases(api_client, cohort, coordinator):
    api_client.force_authenticate(coordinator)
    url = f"{API}/{cohort.pk}/retention-hold/"
    response = api_client.post(url, {"reason": "Inquiry"}, format="json")
    assert response.status_code == 200, response.json()
    retention = response.json()["retention"]
    assert retention["held"] is True
    assert retention["reason"] == "Inquiry"
    assert retention["held_by"]["id"] == coordinator.pk
    assert retention["held_at"]
    response = api_client.delete(url)
    assert response.status_code == 200
    assert response.json()["retention"] == {
        "due": str(cohort.end_date + dt.timedelta(days=3 * 365)),
        "held": False,
        "reason": "",
        "held_by": None,
        "held_at": None,
    }
    assert api_client.delete(url).status_code == 400  # nothing held any more
    actors = AuditEntry.objects.filter(action__startswith="cohort.retention_").values_list("action", "actor_id")
    assert sorted(actors) == [("cohort.retention_hold", coordinator.pk), ("cohort.retention_release", coordinator.pk)]


def test_api_refuses_a_missing_reason(api_client, cohort, coordinator):
    api_client.force_authenticate(coordinator)
    response = api_client.post(f"{API}/{cohort.pk}/retention-hold/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    cohort.refresh_from_db()
    assert cohort.retention_hold == ""


def test_api_refuses_others(api_client, cohort, facilitator, member):
    url = f"{API}/{cohort.pk}/retention-hold/"
    assert api_client.post(url, {"reason": "x"}, format="json").status_code == 401
    api_client.force_authenticate(facilitator)
    assert api_client.post(url, {"reason": "x"}, format="json").status_code == 403
    assert api_client.delete(url).status_code == 403
    api_client.force_authenticate(member)
    assert api_client.post(url, {"reason": "x"}, format="json").status_code == 403
    api_client.force_authenticate(FacilitatorFactory())
    assert api_client.post(url, {"reason": "x"}, format="json").status_code == 404
    cohort.refresh_from_db()
    assert cohort.retention_hold == ""


def test_the_hold_is_readable_by_staff_only(api_client, cohort, coordinator, facilitator, member):
    services.cohort_retention_hold(cohort=cohort, by=coordinator, reason="Inquiry")
    for user in (coordinator, facilitator):
        api_client.force_authenticate(user)
        assert api_client.get(f"{API}/{cohort.pk}/").json()["retention"]["reason"] == "Inquiry"
    api_client.force_authenticate(member)
    assert api_client.get(f"{API}/{cohort.pk}/").json()["retention"] is None


def test_the_list_reads_holds_without_a_query_per_cohort(api_client, coordinator, django_assert_max_num_queries):
    for _n in range(5):
        services.cohort_retention_hold(cohort=CohortFactory(), by=CoordinatorFactory(), reason="Inquiry")
    api_client.force_authenticate(coordinator)
    with django_assert_max_num_queries(8):
        response = api_client.get(f"{API}/")
    assert response.status_code == 200
    assert [row["retention"]["held"] for row in response.json()["results"]] == [True] * 5
