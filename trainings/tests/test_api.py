"""The trainings API: who reads what, who writes, and bad input refused with nothing saved.

Participants' view of cohorts and sessions needs enrolments, a higher layer: see
participants/tests/test_api_visibility.py.
"""

import datetime as dt
import zoneinfo

import pytest

from accounts.tests.factories import FacilitatorFactory, ParticipantUserFactory
from trainings.models import Agency, Cohort, Course, LearningObjective, Session
from trainings.tests.factories import (
    AgencyFactory,
    CohortFactory,
    CourseFactory,
    LearningObjectiveFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
API = "/api/v1"


@pytest.fixture
def cohorts(facilitator):
    """Cohort A run by ``facilitator``; cohort B by someone else."""
    mine = CohortFactory(
        name="A", start_date=dt.date(2030, 5, 13), end_date=dt.date(2030, 5, 17), facilitators=[facilitator]
    )
    theirs = CohortFactory(name="B", facilitators=[FacilitatorFactory()])
    SessionFactory(cohort=mine, title="Session A")
    SessionFactory(cohort=theirs, title="Session B")
    return mine, theirs


def _ids(response) -> set:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _cohort_payload(course: Course, **overrides: object) -> dict:
    payload = {
        "course": course.pk,
        "name": "Autumn 2030",
        "start_date": "2030-10-06",
        "end_date": "2030-10-10",
        "delivery_mode": "in_person",
        "venue": "Training centre, Bucharest",
        "time_zone": "Europe/Bucharest",
        "capacity": 24,
    }
    payload.update(overrides)
    return payload


# --- reading ---------------------------------------------------------------------------------


def test_coordinator_sees_every_cohort_and_session(api_client, coordinator, cohorts):
    api_client.force_login(coordinator)
    assert _ids(api_client.get(f"{API}/cohorts/")) == {c.pk for c in cohorts}
    assert len(_ids(api_client.get(f"{API}/sessions/"))) == 2
    assert len(_ids(api_client.get(f"{API}/courses/"))) == 2


def test_facilitator_sees_only_their_cohorts(api_client, facilitator, cohorts):
    mine, theirs = cohorts
    api_client.force_login(facilitator)
    assert _ids(api_client.get(f"{API}/cohorts/")) == {mine.pk}
    assert _ids(api_client.get(f"{API}/sessions/")) == set(mine.sessions.values_list("pk", flat=True))
    assert _ids(api_client.get(f"{API}/courses/")) == {mine.course_id}
    assert api_client.get(f"{API}/cohorts/{mine.pk}/").status_code == 200
    assert api_client.get(f"{API}/cohorts/{theirs.pk}/").status_code == 404
    assert api_client.get(f"{API}/sessions/{theirs.sessions.get().pk}/").status_code == 404
    assert api_client.get(f"{API}/courses/{theirs.course_id}/").status_code == 404


def test_a_person_in_no_cohort_sees_the_catalogue_only(api_client, cohorts):
    api_client.force_login(ParticipantUserFactory())
    LearningObjectiveFactory()
    AgencyFactory()
    assert _ids(api_client.get(f"{API}/cohorts/")) == set()
    assert _ids(api_client.get(f"{API}/sessions/")) == set()
    assert _ids(api_client.get(f"{API}/courses/")) == set()
    assert len(_ids(api_client.get(f"{API}/agencies/"))) == Agency.objects.count()
    assert len(_ids(api_client.get(f"{API}/learning-objectives/"))) == 1


def test_cohort_detail_shows_people_and_places(api_client, coordinator, facilitator, cohorts):
    mine, _ = cohorts
    api_client.force_login(coordinator)
    data = api_client.get(f"{API}/cohorts/{mine.pk}/").json()
    assert data["facilitators"] == [{"id": facilitator.pk, "email": facilitator.email, "name": str(facilitator)}]
    assert data["places_taken"] == 0
    assert data["course"]["slug"] == mine.course.slug


def test_session_shows_the_cohorts_time_zone(api_client, coordinator, cohorts):
    session = cohorts[0].sessions.get()
    api_client.force_login(coordinator)
    data = api_client.get(f"{API}/sessions/{session.pk}/").json()
    assert data["time_zone"] == "Europe/Warsaw"
    assert dt.datetime.fromisoformat(data["starts_at"]) == session.starts_at


def test_filters(api_client, coordinator, cohorts):
    mine, theirs = cohorts
    api_client.force_login(coordinator)
    assert _ids(api_client.get(f"{API}/cohorts/", {"course": mine.course_id})) == {mine.pk}
    assert _ids(api_client.get(f"{API}/cohorts/", {"facilitator": mine.facilitators.get().pk})) == {mine.pk}
    assert _ids(api_client.get(f"{API}/cohorts/", {"running_on": "2030-05-15"})) == {mine.pk}
    assert _ids(api_client.get(f"{API}/sessions/", {"cohort": theirs.pk})) == {theirs.sessions.get().pk}
    SessionFactory(cohort=mine, status=Session.Status.CANCELLED)
    assert len(_ids(api_client.get(f"{API}/sessions/", {"cohort": mine.pk, "status": "cancelled"}))) == 1
    after = api_client.get(f"{API}/sessions/", {"starts_at_after": "2030-05-13T00:00:00+02:00"})
    assert _ids(after) == set(Session.objects.filter(cohort=mine).values_list("pk", flat=True))
    AgencyFactory(kind="ngo", country="BG")
    assert len(_ids(api_client.get(f"{API}/agencies/", {"kind": "ngo", "country": "bg"}))) == 1


# --- writing ---------------------------------------------------------------------------------


def test_coordinator_creates_a_cohort(api_client, coordinator, facilitator):
    course = CourseFactory()
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/cohorts/", _cohort_payload(course, facilitators=[facilitator.pk], coordinators=[coordinator.pk])
    )
    assert response.status_code == 201, response.content
    cohort = Cohort.objects.get()
    assert response.json()["id"] == cohort.pk
    assert response.json()["slug"] == "autumn-2030"
    assert (cohort.time_zone, cohort.capacity) == ("Europe/Bucharest", 24)
    assert list(cohort.facilitators.all()) == [facilitator]


@pytest.mark.parametrize("who", ["facilitator", "participant"])
def test_only_coordinators_create_cohorts(api_client, facilitator, who):
    user = facilitator if who == "facilitator" else ParticipantUserFactory()
    api_client.force_login(user)
    response = api_client.post(f"{API}/cohorts/", _cohort_payload(CourseFactory()))
    assert response.status_code == 403
    assert Cohort.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2030-10-01"}, "end_date"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"time_zone": "Europe/Gondor"}, "time_zone"),
        ({"delivery_mode": "online"}, "video_link"),
        ({"delivery_mode": "by_pigeon"}, "delivery_mode"),
        ({"capacity": "many"}, "capacity"),
    ],
)
def test_bad_cohort_input_gives_field_errors_and_saves_nothing(api_client, coordinator, overrides, field):
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/cohorts/", _cohort_payload(CourseFactory(), **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert Cohort.objects.count() == 0


def test_facilitator_cannot_change_their_own_cohort(api_client, facilitator, cohorts):
    mine, _ = cohorts
    api_client.force_login(facilitator)
    assert api_client.patch(f"{API}/cohorts/{mine.pk}/", {"capacity": 99}).status_code == 403
    mine.refresh_from_db()
    assert mine.capacity == 30


def test_coordinator_changes_a_cohort(api_client, coordinator, cohorts):
    mine, _ = cohorts
    api_client.force_login(coordinator)
    response = api_client.patch(f"{API}/cohorts/{mine.pk}/", {"capacity": 12, "facilitators": []})
    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == 12
    assert response.json()["facilitators"] == []
    assert api_client.patch(f"{API}/cohorts/{mine.pk}/", {"capacity": 0}).status_code == 400
    mine.refresh_from_db()
    assert mine.capacity == 12


def test_there_is_no_put_or_delete(api_client, coordinator, cohorts):
    mine, _ = cohorts
    api_client.force_login(coordinator)
    assert api_client.put(f"{API}/cohorts/{mine.pk}/", _cohort_payload(mine.course)).status_code == 405
    assert api_client.delete(f"{API}/cohorts/{mine.pk}/").status_code == 405
    assert Cohort.objects.filter(pk=mine.pk).exists()


def _session_payload(cohort: Cohort, **overrides: object) -> dict:
    payload = {
        "cohort": cohort.pk,
        "title": "Simulation",
        "starts_at": "2030-05-14T09:00:00+02:00",
        "ends_at": "2030-05-14T10:30:00+02:00",
        "room": "Room 2",
    }
    payload.update(overrides)
    return payload


def test_coordinator_schedules_a_session(api_client, coordinator, cohorts):
    mine, _ = cohorts
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/", _session_payload(mine))
    assert response.status_code == 201, response.content
    session = Session.objects.get(pk=response.json()["id"])
    assert session.starts_at == dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2030-05-14T08:00:00+02:00"}, "ends_at"),
        ({"starts_at": "2030-05-12T09:00:00+02:00"}, "starts_at"),
        ({"ends_at": "2030-05-19T10:00:00+02:00"}, "ends_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
    ],
)
def test_bad_session_input_gives_field_errors_and_saves_nothing(api_client, coordinator, cohorts, overrides, field):
    mine, _ = cohorts
    before = Session.objects.count()
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/", _session_payload(mine, **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert Session.objects.count() == before


def test_session_patch_bumps_the_sequence(api_client, coordinator, cohorts):
    session = cohorts[0].sessions.get()
    api_client.force_login(coordinator)
    response = api_client.patch(f"{API}/sessions/{session.pk}/", {"room": "Room 7"})
    assert response.status_code == 200, response.content
    assert (response.json()["room"], response.json()["sequence"]) == ("Room 7", 1)


def test_facilitator_cannot_schedule(api_client, facilitator, cohorts):
    mine, _ = cohorts
    api_client.force_login(facilitator)
    assert api_client.post(f"{API}/sessions/", _session_payload(mine)).status_code == 403
    session = mine.sessions.get()
    assert api_client.patch(f"{API}/sessions/{session.pk}/", {"room": "X"}).status_code == 403


def test_catalogue_writes(api_client, coordinator):
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/agencies/", {"name": "Inspecția Muncii", "kind": "labour_inspection", "country": "ro"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "RO"
    duplicate = api_client.post(f"{API}/agencies/", {"name": "Inspecția Muncii", "kind": "police", "country": "RO"})
    assert duplicate.status_code == 400
    assert Agency.objects.count() == 1

    response = api_client.post(f"{API}/learning-objectives/", {"code": "lo-identify", "title": "Identify victims"})
    assert response.status_code == 201, response.content
    objective = LearningObjective.objects.get()
    response = api_client.post(f"{API}/courses/", {"title": "Joint response", "learning_objectives": [objective.pk]})
    assert response.status_code == 201, response.content
    assert [o["code"] for o in response.json()["learning_objectives"]] == ["lo-identify"]

    response = api_client.post(f"{API}/learning-objectives/{objective.pk}/retire/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    refused = api_client.post(f"{API}/courses/", {"title": "Later", "learning_objectives": [objective.pk]})
    assert refused.status_code == 400
    assert "learning_objectives" in refused.json()
    assert Course.objects.count() == 1


def test_facilitator_cannot_write_the_catalogue(api_client, facilitator):
    objective = LearningObjectiveFactory()
    api_client.force_login(facilitator)
    assert api_client.post(f"{API}/agencies/", {"name": "X", "kind": "ngo"}).status_code == 403
    assert api_client.post(f"{API}/learning-objectives/{objective.pk}/retire/").status_code == 403
    assert api_client.patch(f"{API}/learning-objectives/{objective.pk}/", {"title": "Y"}).status_code == 403
    objective.refresh_from_db()
    assert objective.is_active


def test_token_authentication(api_client, coordinator, cohorts):
    coordinator.set_password("s3cret-pass-word")
    coordinator.save()
    token = api_client.post(f"{API}/auth/token/", {"email": coordinator.email, "password": "s3cret-pass-word"}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert len(_ids(api_client.get(f"{API}/cohorts/"))) == 2
