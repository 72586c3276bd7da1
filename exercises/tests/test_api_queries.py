"""Exercise and run lists cost the same number of queries for 1 and for 50 rows."""

import pytest

from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, InjectFactory, PhaseFactory, TeamRoleFactory
from trainings.tests.factories import CohortFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _build(count: int, facilitator) -> None:
    cohort = CohortFactory(facilitators=[facilitator])
    for _ in range(count):
        exercise = ExerciseFactory()
        exercise.learning_objectives.add(LearningObjectiveFactory())
        PhaseFactory.create_batch(2, exercise=exercise)
        roles = TeamRoleFactory.create_batch(2, exercise=exercise)
        inject = InjectFactory(exercise=exercise)
        inject.target_roles.add(*roles)
        inject.learning_objectives.add(LearningObjectiveFactory())
        exercise.handouts.create(title="Card")
        run = ExerciseRunFactory(exercise=exercise, cohort=cohort)
        run.teams.create(team_role=roles[0])


# Measured with one row; the session, the user, roles and cohort access are in each figure.
@pytest.mark.parametrize(
    ("endpoint", "role", "max_queries"),
    [
        ("exercises", "coordinator", 12),
        ("exercises", "facilitator", 13),
        ("exercise-runs", "coordinator", 6),
        ("exercise-runs", "facilitator", 7),
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
    assert response.json()["count"] == count
