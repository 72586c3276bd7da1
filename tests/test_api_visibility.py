"""Each role against every API resource: lists hold what the role may see, details agree with lists.

A cross-app test: a participant's view needs enrolments, runs and teams from several apps.
"""

import pytest

from accounts.tests.factories import FacilitatorFactory, ParticipantUserFactory
from exercises.models import Exercise, ExerciseRun
from exercises.tests.factories import ExerciseRunFactory, TeamRoleFactory
from participants.models import Enrolment, Participant
from participants.tests.factories import EnrolmentFactory
from trainings.models import Agency, Cohort, Course, LearningObjective, Session
from trainings.tests.factories import LearningObjectiveFactory, SessionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
RESOURCES = {
    "agencies": Agency,
    "learning-objectives": LearningObjective,
    "courses": Course,
    "cohorts": Cohort,
    "sessions": Session,
    "exercises": Exercise,
    "exercise-runs": ExerciseRun,
    "participants": Participant,
    "enrolments": Enrolment,
}


@pytest.fixture
def world(coordinator, facilitator):
    """Two cohorts, each with a facilitator, a session, a run and an enrolled participant."""
    built = {"coordinator": coordinator, "facilitator_a": facilitator, "facilitator_b": FacilitatorFactory()}
    for key in ("a", "b"):
        enrolment = EnrolmentFactory(cohort__facilitators=[built[f"facilitator_{key}"]])
        cohort = enrolment.cohort
        session = SessionFactory(cohort=cohort)
        run = ExerciseRunFactory(cohort=cohort, session=session)
        TeamRoleFactory(exercise=run.exercise)
        built |= {
            f"cohort_{key}": cohort,
            f"session_{key}": session,
            f"run_{key}": run,
            f"enrolment_{key}": enrolment,
            f"participant_{key}": enrolment.participant.user,
        }
    withdrawn = EnrolmentFactory(cohort=built["cohort_a"], status=Enrolment.Status.WITHDRAWN)
    built["withdrawn"] = withdrawn.participant.user
    built["newcomer"] = ParticipantUserFactory()
    LearningObjectiveFactory()
    return built


def _list_ids(client, resource: str) -> set[int]:
    response = client.get(f"{API}/{resource}/")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_participant_sees_own_profile_enrolment_and_cohort_schedule(api_client, world):
    api_client.force_login(world["participant_a"])
    own = world["enrolment_a"]
    assert _list_ids(api_client, "cohorts") == {world["cohort_a"].pk}
    assert _list_ids(api_client, "sessions") == {world["session_a"].pk}
    assert _list_ids(api_client, "courses") == {world["cohort_a"].course_id}
    assert _list_ids(api_client, "exercise-runs") == {world["run_a"].pk}
    assert _list_ids(api_client, "participants") == {own.participant_id}
    assert _list_ids(api_client, "enrolments") == {own.pk}
    assert _list_ids(api_client, "exercises") == set()
    assert _list_ids(api_client, "agencies") == set(Agency.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("resource", "key"),
    [
        ("cohorts", "cohort_b"),
        ("sessions", "session_b"),
        ("exercise-runs", "run_b"),
        ("enrolments", "enrolment_b"),
        ("exercises", "run_a"),  # even the exercise of their own run: the guide is for staff
    ],
)
def test_participant_of_another_cohort_gets_404(api_client, world, resource, key):
    api_client.force_login(world["participant_a"])
    obj = world[key]
    pk = obj.exercise_id if resource == "exercises" else obj.pk
    assert api_client.get(f"{API}/{resource}/{pk}/").status_code == 404


def test_participant_of_another_cohort_cannot_read_a_profile(api_client, world):
    api_client.force_login(world["participant_a"])
    other = world["enrolment_b"].participant_id
    assert api_client.get(f"{API}/participants/{other}/").status_code == 404


def test_withdrawn_participant_loses_the_cohort(api_client, world):
    api_client.force_login(world["withdrawn"])
    assert _list_ids(api_client, "cohorts") == set()
    assert _list_ids(api_client, "sessions") == set()
    assert len(_list_ids(api_client, "enrolments")) == 1  # their own record stays theirs


@pytest.mark.parametrize(
    "role", ["coordinator", "facilitator_a", "facilitator_b", "participant_a", "withdrawn", "newcomer"]
)
def test_details_agree_with_lists(api_client, world, role):
    """What a list shows answers 200 in detail; everything else answers 404."""
    api_client.force_login(world[role])
    for resource, model in RESOURCES.items():
        visible = _list_ids(api_client, resource)
        for pk in model.objects.values_list("pk", flat=True):
            expected = 200 if pk in visible else 404
            assert api_client.get(f"{API}/{resource}/{pk}/").status_code == expected, (role, resource, pk)
    if role == "coordinator":
        assert _list_ids(api_client, "cohorts") == set(Cohort.objects.values_list("pk", flat=True))
        assert _list_ids(api_client, "exercises") == set(Exercise.objects.values_list("pk", flat=True))


def test_facilitator_sees_their_cohorts_people_and_runs(api_client, world):
    api_client.force_login(world["facilitator_b"])
    cohort = world["cohort_b"]
    assert _list_ids(api_client, "cohorts") == {cohort.pk}
    assert _list_ids(api_client, "exercise-runs") == {world["run_b"].pk}
    assert _list_ids(api_client, "exercises") == {world["run_b"].exercise_id}
    assert _list_ids(api_client, "participants") == {world["enrolment_b"].participant_id}
    assert _list_ids(api_client, "enrolments") == {world["enrolment_b"].pk}


def test_the_cohort_filter_does_not_reveal_who_is_enrolled_in_another_cohort(api_client):
    from accounts.tests.factories import FacilitatorFactory
    from participants.tests.factories import EnrolmentFactory
    from trainings.tests.factories import CohortFactory

    facilitator = FacilitatorFactory()
    mine = CohortFactory(facilitators=[facilitator])
    theirs = CohortFactory()
    shared = EnrolmentFactory(cohort=mine).participant
    EnrolmentFactory(cohort=theirs, participant=shared)
    api_client.force_login(facilitator)

    assert api_client.get("/api/v1/participants/", {"cohort": mine.pk}).json()["count"] == 1
    assert api_client.get("/api/v1/participants/", {"cohort": theirs.pk}).json()["count"] == 0
