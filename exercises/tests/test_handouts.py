"""Handout files go only to people who may open the exercise's guide (hardening item 14, third bullet).

They were linked as ``handout.file.url``: straight from the media folder, to anyone with the link.
"""

import inspect

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

import config.urls
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from exercises import services
from exercises.models import Handout
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handout():
    exercise = ExerciseFactory(name="Recognising victims")
    return Handout.objects.create(
        exercise=exercise,
        title="Role card: Police / law enforcement",
        file=ContentFile(b"%PDF-1.4 role card", name="role card (v2).PDF"),
    )


def _url(handout: Handout) -> str:
    return reverse("exercises:handout_download", kwargs={"slug": handout.exercise.slug, "pk": handout.pk})


def test_the_guide_links_handouts_through_the_download_view(client, handout):
    client.force_login(CoordinatorFactory())
    html = client.get(handout.exercise.get_absolute_url()).content.decode()
    assert f'href="{_url(handout)}"' in html
    assert handout.file.url not in html


def test_the_download_is_an_attachment_with_a_safe_name(client, handout):
    client.force_login(CoordinatorFactory())
    response = client.get(_url(handout))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 role card"
    assert response["Content-Disposition"] == 'attachment; filename="role-card-police-law-enforcement.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_only_people_who_see_the_guide_download(client, handout):
    facilitator = FacilitatorFactory()
    ExerciseRunFactory(exercise=handout.exercise, cohort=CohortFactory(facilitators=[facilitator]))
    client.force_login(facilitator)
    assert client.get(_url(handout)).status_code == 200
    for stranger in (FacilitatorFactory(), ParticipantUserFactory()):
        client.force_login(stranger)
        assert client.get(_url(handout)).status_code == 404
    client.logout()
    assert client.get(_url(handout)).status_code == 302  # to the login page


def test_a_handout_of_another_exercise_or_without_a_file_is_not_found(client, handout):
    client.force_login(CoordinatorFactory())
    other = ExerciseFactory()
    url = reverse("exercises:handout_download", kwargs={"slug": other.slug, "pk": handout.pk})
    assert client.get(url).status_code == 404
    empty = Handout.objects.create(exercise=handout.exercise, title="To be printed")
    assert client.get(_url(empty)).status_code == 404
    handout.file.storage.delete(handout.file.name)  # gone from the disk
    assert client.get(_url(handout)).status_code == 404


def test_the_api_gives_the_download_address(api_client, handout):
    api_client.force_authenticate(CoordinatorFactory())
    data = api_client.get(f"/api/v1/exercises/{handout.exercise.pk}/").json()
    assert data["handouts"][0]["file"] == f"http://testserver{_url(handout)}"
    variant = services.exercise_duplicate(exercise=handout.exercise, country="PL")
    assert api_client.get(f"/api/v1/exercises/{variant.pk}/").json()["handouts"][0]["file"] is None


def test_the_media_folder_is_served_by_no_url():
    """Not even with DEBUG: every uploaded file goes through a view that asks the rules."""
    assert "MEDIA_URL" not in inspect.getsource(config.urls)
