"""Every trainings list endpoint costs the same number of queries for 1 and for 50 rows."""

import pytest

from accounts.tests.factories import CoordinatorFactory
from trainings.tests.factories import (
    AgencyFactory,
    CohortFactory,
    CourseFactory,
    LearningObjectiveFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def _build(count: int, facilitator) -> None:
    for _ in range(count):
        AgencyFactory()
        course = CourseFactory()
        course.learning_objectives.add(*LearningObjectiveFactory.create_batch(2))
        cohort = CohortFactory(course=course, facilitators=[facilitator], coordinators=[CoordinatorFactory()])
        SessionFactory.create_batch(2, cohort=cohort)


# Measured with one row of each; the session, the user, roles and cohort access are in each figure.
@pytest.mark.parametrize(
    ("endpoint", "role", "max_queries"),
    [
        ("agencies", "coordinator", 4),
        ("learning-objectives", "coordinator", 4),
        ("courses", "coordinator", 6),
        ("courses", "facilitator", 7),
        ("cohorts", "coordinator", 7),
        ("cohorts", "facilitator", 8),
        ("sessions", "coordinator", 5),
        ("sessions", "facilitator", 6),
    ],
)
@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_does_not_grow(
    api_client, coordinator, facilitator, django_assert_max_num_queries, endpoint, role, max_queries, count
):
    _build(count, facilitator)
    api_client.force_login(coordinator if role == "coordinator" else facilitator)
    with django_assert_max_num_queries(max_queries):
        response = api_client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["count"] >= count
    assert len(response.json()["results"]) >= count
