"""The exercises API: the facilitator guide for its staff, runs planned by coordinators."""

import datetime as dt

import pytest

from accounts.tests.factories import FacilitatorFactory, ParticipantUserFactory
from exercises.models import ExerciseRun, RunTeam
from exercises.tests.factories import (
    CourseExerciseFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    InjectFactory,
    PhaseFactory,
    TeamRoleFactory,
)
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def guide():
    exercise = ExerciseFactory(name="Recognising victims", planned_minutes=90)
    preparation = PhaseFactory(exercise=exercise, order=1, name="Preparation", kind="preparation")
    PhaseFactory(exercise=exercise, order=2, name="Crisis", kind="crisis", planned_minutes=30)
    police = TeamRoleFactory(exercise=exercise, number=1, name="Police", briefing="Interview the suspects.")
    TeamRoleFactory(exercise=exercise, number=2, name="NGO", agency_kind="ngo")
    inject = InjectFactory(exercise=exercise, number=1, title="Victims moved", phase=preparation, channel="phone")
    inject.target_roles.add(police)
    exercise.handouts.create(title="Scenario card")
    return exercise


@pytest.fixture
def runs(guide, facilitator):
    """A run of the guide in the facilitator's cohort, and a run of another exercise elsewhere."""
    mine = ExerciseRunFactory(exercise=guide, cohort=CohortFactory(facilitators=[facilitator]))
    theirs = ExerciseRunFactory(cohort=CohortFactory(facilitators=[FacilitatorFactory()]))
    return mine, theirs


def _ids(response) -> set:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_exercise_detail_is_the_whole_guide(api_client, coordinator, guide):
    api_client.force_login(coordinator)
    data = api_client.get(f"{API}/exercises/{guide.pk}/").json()
    assert data["kind"] == "simulation"
    assert [p["name"] for p in data["phases"]] == ["Preparation", "Crisis"]
    assert [(t["number"], t["agency_kind"]) for t in data["team_roles"]] == [(1, "police"), (2, "ngo")]
    assert data["team_roles"][0]["briefing"] == "Interview the suspects."
    inject = data["injects"][0]
    assert (inject["title"], inject["channel"], inject["phase"]) == ("Victims moved", "phone", guide.phases.first().pk)
    assert inject["target_roles"] == [guide.team_roles.get(number=1).pk]
    assert [h["title"] for h in data["handouts"]] == ["Scenario card"]


def test_facilitators_see_the_exercises_of_their_cohorts_only(api_client, facilitator, runs):
    mine, theirs = runs
    course_exercise = CourseExerciseFactory(course=mine.cohort.course)
    api_client.force_login(facilitator)
    assert _ids(api_client.get(f"{API}/exercises/")) == {mine.exercise_id, course_exercise.exercise_id}
    assert api_client.get(f"{API}/exercises/{mine.exercise_id}/").status_code == 200
    assert api_client.get(f"{API}/exercises/{theirs.exercise_id}/").status_code == 404
    assert _ids(api_client.get(f"{API}/exercise-runs/")) == {mine.pk}
    assert api_client.get(f"{API}/exercise-runs/{theirs.pk}/").status_code == 404


def test_a_participant_never_reads_the_guide(api_client, runs):
    api_client.force_login(ParticipantUserFactory())
    assert _ids(api_client.get(f"{API}/exercises/")) == set()
    assert api_client.get(f"{API}/exercises/{runs[0].exercise_id}/").status_code == 404


def test_exercise_filters(api_client, coordinator, guide):
    ExerciseFactory(kind="role_play", country="PL")
    api_client.force_login(coordinator)
    assert len(_ids(api_client.get(f"{API}/exercises/", {"kind": "role_play"}))) == 1
    assert len(_ids(api_client.get(f"{API}/exercises/", {"country": "pl"}))) == 1
    assert _ids(api_client.get(f"{API}/exercises/", {"kind": "simulation"})) == {guide.pk}


def test_coordinator_plans_a_run_with_its_teams(api_client, coordinator, guide, facilitator):
    cohort = CohortFactory(facilitators=[facilitator])
    session = SessionFactory(cohort=cohort)
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/exercise-runs/",
        {"exercise": guide.pk, "cohort": cohort.pk, "session": session.pk, "lead_facilitator": facilitator.pk},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(t["number"], t["name"]) for t in data["teams"]] == [(1, "Team 1: Police"), (2, "Team 2: NGO")]
    assert data["lead_facilitator"]["id"] == facilitator.pk
    assert data["status"] == "planned"


def test_a_run_in_another_cohorts_session_is_refused(api_client, coordinator, guide):
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/exercise-runs/", {"exercise": guide.pk, "cohort": CohortFactory().pk, "session": SessionFactory().pk}
    )
    assert response.status_code == 400
    assert "session" in response.json()
    assert ExerciseRun.objects.count() == 0
    assert RunTeam.objects.count() == 0


def test_run_update_and_roles(api_client, coordinator, facilitator, runs):
    mine, _ = runs
    session = SessionFactory(cohort=mine.cohort)
    api_client.force_login(facilitator)
    assert api_client.patch(f"{API}/exercise-runs/{mine.pk}/", {"session": session.pk}).status_code == 403
    assert (
        api_client.post(f"{API}/exercise-runs/", {"exercise": mine.exercise_id, "cohort": mine.cohort_id}).status_code
        == 403
    )
    api_client.force_login(coordinator)
    response = api_client.patch(f"{API}/exercise-runs/{mine.pk}/", {"session": session.pk})
    assert response.status_code == 200, response.content
    assert response.json()["session"] == session.pk


def test_the_api_refuses_a_lead_from_outside_the_cohort(api_client, coordinator, guide, facilitator):
    cohort = CohortFactory(facilitators=[facilitator])
    outsider = FacilitatorFactory()
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/exercise-runs/", {"exercise": guide.pk, "cohort": cohort.pk, "lead_facilitator": outsider.pk}
    )
    assert response.status_code == 400
    assert "not one of this cohort's facilitators" in response.json()["lead_facilitator"][0]
    assert ExerciseRun.objects.count() == 0
    assert RunTeam.objects.count() == 0
    run = ExerciseRunFactory(cohort=cohort)
    response = api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"lead_facilitator": outsider.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["lead_facilitator"]
    run.refresh_from_db()
    assert run.lead_facilitator is None


def test_the_api_refuses_moving_a_started_run(api_client, coordinator):
    run = ExerciseRunFactory(status=ExerciseRun.Status.RUNNING)
    session = SessionFactory(cohort=run.cohort)
    ExerciseRun.objects.filter(pk=run.pk).update(session=session)
    later = SessionFactory(cohort=run.cohort, starts_at=session.starts_at + dt.timedelta(days=1))
    api_client.force_login(coordinator)
    response = api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"session": later.pk})
    assert response.status_code == 400
    assert "already running" in response.json()["session"][0]
    run.refresh_from_db()
    assert run.session == session
