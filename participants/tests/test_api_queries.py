"""Participant and enrolment lists cost the same number of queries for 1 and for 50 rows."""

import pytest

from participants.services import enrolment_status_change
from participants.tests.factories import EnrolmentFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _build(count: int, facilitator, coordinator) -> None:
    cohort = CohortFactory(facilitators=[facilitator], capacity=200)
    for _ in range(count):
        enrolment = EnrolmentFactory(cohort=cohort, status="invited")
        enrolment_status_change(enrolment=enrolment, status="enrolled", by=coordinator)


# Measured with one row; the session, the user, roles and cohort access are in each figure.
@pytest.mark.parametrize(
    ("endpoint", "role", "max_queries"),
    [
        ("participants", "coordinator", 5),
        ("participants", "facilitator", 6),
        ("enrolments", "coordinator", 6),
        ("enrolments", "facilitator", 7),
        ("enrolments", "participant", 7),
    ],
)
@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_does_not_grow(
    api_client, coordinator, facilitator, django_assert_max_num_queries, endpoint, role, max_queries, count
):
    _build(count, facilitator, coordinator)
    # A participant sees their own records: give one person many enrolments to list.
    users = {"coordinator": coordinator, "facilitator": facilitator}
    if role == "participant":
        participant = EnrolmentFactory().participant
        for _ in range(count - 1):
            EnrolmentFactory(participant=participant)
        users["participant"] = participant.user
    api_client.force_login(users[role])
    with django_assert_max_num_queries(max_queries):
        response = api_client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["count"] == count
