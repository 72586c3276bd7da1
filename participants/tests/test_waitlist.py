"""Capacity and the waiting list: who waits, in which order they move up, and the status workflow."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory
from core.exceptions import ApplicationError
from participants import selectors, services
from participants.models import Enrolment, EnrolmentStatusChange
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, waitlisted_enrolments
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _status(enrolment: Enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.status


def test_a_full_cohort_puts_newcomers_on_the_waiting_list_when_asked():
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    enrolment = services.enrolment_create(
        cohort=cohort, participant=ParticipantFactory(), by=coordinator, waitlist_if_full=True
    )
    assert enrolment.status == "waitlisted"
    assert enrolment.waitlisted_at == enrolment.status_changed_at
    change = enrolment.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "waitlisted", coordinator)
    assert selectors.cohort_places_taken(cohort=cohort) == 1


def test_a_cohort_with_room_enrols_even_when_waiting_is_allowed():
    cohort = CohortFactory(capacity=2)
    enrolment = services.enrolment_create(
        cohort=cohort, participant=ParticipantFactory(), by=None, waitlist_if_full=True
    )
    assert enrolment.status == "invited"
    assert enrolment.waitlisted_at is None


def test_a_withdrawal_moves_the_longest_waiting_person_up(django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=1)
    leaving = EnrolmentFactory(cohort=cohort, status="enrolled")
    later, first, latest = waitlisted_enrolments(cohort, minutes_ago=[5, 30, 1])

    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_status_change(enrolment=leaving, status="withdrawn", by=coordinator, note="Ill")

    assert [_status(e) for e in (first, later, latest)] == ["invited", "waitlisted", "waitlisted"]
    change = first.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("waitlisted", "invited", coordinator)
    assert "waiting list" in change.note
    assert [m.to for m in mail.outbox] == [[first.participant.user.email]]
    assert mail.outbox[0].subject.startswith("A place is free for you in")
    assert selectors.cohort_places_taken(cohort=cohort) == cohort.capacity


def test_the_queue_moves_before_a_newcomer_takes_a_free_place():
    cohort = CohortFactory(capacity=1)
    [waiting] = waitlisted_enrolments(
        cohort, minutes_ago=[10]
    )  # waiting while a place is free (e.g. capacity was raised)
    newcomer = services.enrolment_create(
        cohort=cohort, participant=ParticipantFactory(), by=None, waitlist_if_full=True
    )
    assert _status(waiting) == "invited"
    assert newcomer.status == "waitlisted"


def test_waitlisting_someone_gives_their_place_to_who_was_waiting_before_them():
    cohort = CohortFactory(capacity=1)
    holder = EnrolmentFactory(cohort=cohort, status="invited")
    [earlier] = waitlisted_enrolments(cohort, minutes_ago=[60])
    services.enrolment_status_change(enrolment=holder, status="waitlisted", by=None)
    assert _status(earlier) == "invited"
    assert _status(holder) == "waitlisted"


def test_a_person_moved_to_the_waiting_list_does_not_take_their_place_straight_back():
    cohort = CohortFactory(capacity=1)
    holder = EnrolmentFactory(cohort=cohort, status="invited")
    services.enrolment_status_change(enrolment=holder, status="waitlisted", by=None)
    assert _status(holder) == "waitlisted"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("completed", "invited"),
        ("completed", "waitlisted"),
        ("completed", "withdrawn"),
        ("enrolled", "invited"),
        ("enrolled", "waitlisted"),
    ],
)
def test_transitions_outside_the_workflow_are_refused(start, target):
    enrolment = EnrolmentFactory(status=start, waitlisted_at=timezone.now())
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_status_change(enrolment=enrolment, status=target, by=None)
    assert "cannot become" in excinfo.value.field_errors["status"][0]
    assert _status(enrolment) == start
    assert not EnrolmentStatusChange.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        ["enrolled", "completed", "enrolled"],  # undo a completion recorded by mistake
        ["waitlisted", "enrolled", "withdrawn", "invited"],
        ["invited", "withdrawn", "waitlisted", "withdrawn"],
    ],
)
def test_transitions_inside_the_workflow_are_recorded(path):
    cohort = CohortFactory(capacity=5)
    enrolment = EnrolmentFactory(cohort=cohort, status="invited")
    history = []
    for status in path:
        if status != enrolment.status:
            history.append((enrolment.status, status))
            services.enrolment_status_change(enrolment=enrolment, status=status, by=None)
    recorded = list(enrolment.status_changes.values_list("from_status", "to_status"))
    assert recorded == history


# --- API and page --------------------------------------------------------------------------------


def test_the_api_refuses_a_full_cohort_unless_asked_to_waitlist(api_client, coordinator):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    participant = ParticipantFactory()
    api_client.force_login(coordinator)
    refused = api_client.post("/api/v1/enrolments/", {"cohort": cohort.pk, "participant": participant.pk})
    assert refused.status_code == 400
    assert "is full" in refused.json()["cohort"][0]
    waiting = api_client.post(
        "/api/v1/enrolments/", {"cohort": cohort.pk, "participant": participant.pk, "waitlist_if_full": True}
    )
    assert waiting.status_code == 201, waiting.content
    body = waiting.json()
    assert body["status"] == "waitlisted"
    assert body["waitlisted_at"] is not None
    assert [c["to_status"] for c in body["status_changes"]] == ["waitlisted"]


def test_the_api_promotes_the_waiting_list_for_coordinators_only(api_client, coordinator, facilitator):
    cohort = CohortFactory(capacity=1, facilitators=[facilitator])
    later, first = waitlisted_enrolments(cohort, minutes_ago=[1, 9])
    url = f"/api/v1/cohorts/{cohort.pk}/waitlist/promote/"
    api_client.force_login(facilitator)
    assert api_client.post(url).status_code == 403
    api_client.force_login(ParticipantFactory().user)
    assert api_client.post(url).status_code == 404
    api_client.force_login(coordinator)
    response = api_client.post(url)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [first.pk]
    assert response.json()[0]["status"] == "invited"
    assert _status(later) == "waitlisted"
    # The move is visible in the enrolment's status and history.
    detail = api_client.get(f"/api/v1/enrolments/{first.pk}/").json()
    assert [c["to_status"] for c in detail["status_changes"]] == ["invited"]


def test_the_waiting_list_page_lists_the_queue_and_fills_free_places(client, coordinator):
    cohort = CohortFactory(capacity=1)
    later, first = waitlisted_enrolments(cohort, minutes_ago=[1, 9])
    client.force_login(coordinator)
    url = reverse("participants:waitlist", kwargs={"slug": cohort.slug})
    response = client.get(url)
    assert list(response.context["waiting"]) == [first, later]
    assert response.context["free_places"] == 1
    response = client.post(url, follow=True)
    assert _status(first) == "invited"
    assert _status(later) == "waitlisted"
    assert str(first.participant.user) in response.content.decode()


def test_the_waiting_list_page_costs_the_same_queries_for_2_and_40(client, coordinator):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    client.force_login(coordinator)
    url = reverse("participants:waitlist", kwargs={"slug": cohort.slug})
    counts = []
    for total in (2, 40):
        waitlisted_enrolments(
            cohort, minutes_ago=list(range(total - cohort.enrolments.filter(status="waitlisted").count()))
        )
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert len(response.context["waiting"]) == total
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
