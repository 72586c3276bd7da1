"""Catalogue API beyond the basics in test_api.py: retired objectives on courses, bad edits, roles."""

import pytest

from accounts.tests.factories import CoordinatorFactory, ParticipantUserFactory
from trainings.models import LearningObjective
from trainings.tests.factories import CourseFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_a_course_keeps_a_retired_objective_but_cannot_take_a_new_one(api_client):
    kept = LearningObjectiveFactory(code="kept")
    other = LearningObjectiveFactory(code="other", is_active=False)
    course = CourseFactory()
    course.learning_objectives.add(kept)
    kept.is_active = False
    kept.save()
    api_client.force_authenticate(CoordinatorFactory())
    url = f"{API}/courses/{course.pk}/"
    response = api_client.patch(url, {"learning_objectives": [kept.pk], "title": "Renamed"}, format="json")
    assert response.status_code == 200
    assert [o["code"] for o in response.json()["learning_objectives"]] == ["kept"]
    refused = api_client.patch(url, {"learning_objectives": [kept.pk, other.pk], "title": "Again"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["learning_objectives"] == ["Retired objectives cannot be added: other."]
    course.refresh_from_db()
    assert course.title == "Renamed"
    assert list(course.learning_objectives.all()) == [kept]


def test_objective_edits_are_validated_and_retiring_twice_is_harmless(api_client):
    first = LearningObjectiveFactory(code="first", title="First")
    LearningObjectiveFactory(code="second")
    api_client.force_authenticate(CoordinatorFactory())
    refused = api_client.patch(f"{API}/learning-objectives/{first.pk}/", {"code": "second"}, format="json")
    assert refused.status_code == 400
    assert "code" in refused.json()
    first.refresh_from_db()
    assert first.code == "first"
    for _ in range(2):
        response = api_client.post(f"{API}/learning-objectives/{first.pk}/retire/")
        assert response.status_code == 200
        assert response.json()["is_active"] is False
    # Retired objectives stay in the catalogue, marked.
    listed = api_client.get(f"{API}/learning-objectives/").json()["results"]
    assert {o["code"]: o["is_active"] for o in listed} == {"first": False, "second": True}


def test_participants_cannot_write_objectives(api_client):
    api_client.force_authenticate(ParticipantUserFactory())
    assert api_client.post(f"{API}/learning-objectives/", {"code": "x", "title": "X"}).status_code == 403
    assert not LearningObjective.objects.exists()
