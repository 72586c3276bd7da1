"""Exercise and run lists cost the same number of queries for 1 and for 50 rows."""

import pytest

from exercises.tests.factories import (
    ExerciseFactory,
    ExerciseRunFactory,
    InjectFactory,
    PhaseFactory,
    RunTeamFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
)
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
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


# Measured with one row; the session, the user, roles and cohort access are in each figure. A run
# list also reads the reader's own confirmed teams (one query, whatever the number of runs), and the
# exercises' phases and the runs' placed phases for ``phases`` (one query each). An exercise also
# carries its teams' positions, its cell roles and its injects' attachments (3 more).
@pytest.mark.parametrize(
    ("endpoint", "role", "max_queries"),
    [
        ("exercises", "coordinator", 15),
        ("exercises", "facilitator", 16),
        ("exercise-runs", "coordinator", 9),
        ("exercise-runs", "facilitator", 10),
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


def test_a_participants_own_teams_cost_one_query_however_many_runs(api_client, django_assert_max_num_queries):
    participant = ParticipantFactory()
    api_client.force_login(participant.user)
    counts = []
    for _ in range(2):
        for _ in range(5):
            run = ExerciseRunFactory()
            enrolment = EnrolmentFactory(cohort=run.cohort, participant=participant)
            TeamMembershipFactory(run=run, team=RunTeamFactory(run=run), enrolment=enrolment)
        with django_assert_max_num_queries(20) as captured:
            response = api_client.get("/api/v1/exercise-runs/")
        counts.append(len(captured.captured_queries))
        assert all(run["own_team"] is not None for run in response.json()["results"])
    assert counts[0] == counts[1]
