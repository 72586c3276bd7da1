"""Every CSV export offers `;` (Excel in Polish or German splits on it) and remembers the person's choice."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ExportDelimiter
from tests.world import World

pytestmark = pytest.mark.django_db


def _exports(world: World) -> list[str]:
    return [
        reverse("portal:cohort_schedule_export", kwargs={"slug": world.cohort.slug}),
        reverse("exercises:exercise_export", kwargs={"slug": world.exercise.slug}),
        f"/api/v1/exercises/{world.exercise.pk}/export/?format=csv",
    ]


def _first_line(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode("utf-8-sig").splitlines()[0]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_an_export_takes_the_semicolon_and_remembers_it(world: World, index: int):
    user = world.users["coordinator"]
    client = APIClient() if index == 2 else Client()
    client.force_login(user)
    url = _exports(world)[index]
    joiner = "&" if "?" in url else "?"
    assert ";" not in _first_line(client.get(url))
    assert ";" in _first_line(client.get(f"{url}{joiner}delimiter=semicolon"))
    user.refresh_from_db()
    assert user.export_delimiter == ExportDelimiter.SEMICOLON
    assert ";" in _first_line(client.get(url))  # remembered
    assert client.get(f"{url}{joiner}delimiter=tab").status_code == 400
