"""Old addresses answer 301 to their new place, whoever asks; old calendar feed URLs keep serving."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.calendars import services as feeds
from tests.world import World

pytestmark = pytest.mark.django_db


def _old_and_new(world: World) -> list[tuple[str, str]]:
    cohort, session, run, course = world.cohort.slug, world.session.pk, world.run.pk, world.course.slug
    return [
        ("/trainings/objectives/", reverse("trainings:objective_list")),
        (f"/trainings/courses/{course}/", reverse("portal:course_detail", kwargs={"slug": course})),
        (f"/trainings/cohorts/{cohort}/", reverse("portal:cohort_detail", kwargs={"slug": cohort})),
        (f"/trainings/cohorts/{cohort}/agenda/", reverse("portal:cohort_agenda", kwargs={"slug": cohort})),
        (f"/trainings/cohorts/{cohort}/roster/", reverse("participants:cohort_roster", kwargs={"slug": cohort})),
        (f"/trainings/sessions/{session}/edit/", reverse("portal:session_update", kwargs={"pk": session})),
        (f"/exercises/runs/{run}/", reverse("exercises:run_detail", kwargs={"pk": run})),
        (f"/exercises/runs/{run}/edit/", reverse("exercises:run_update", kwargs={"pk": run})),
        (f"/exercises/cohorts/{cohort}/runs/new/", reverse("exercises:run_create", kwargs={"slug": cohort})),
        (f"/exercises/courses/{course}/coverage/", reverse("exercises:course_coverage", kwargs={"slug": course})),
        (f"/participants/runs/{run}/teams/", reverse("exercises:run_teams", kwargs={"pk": run})),
        (f"/participants/cohorts/{cohort}/enrol/", reverse("participants:enrol", kwargs={"slug": cohort})),
        (f"/participants/sessions/{session}/attendance/", reverse("participants:attendance", kwargs={"pk": session})),
        ("/participants/me/", reverse("participants:me")),
        ("/participants/calendar/", reverse("portal:calendar_feeds")),
        (f"/participants/calendar/cohorts/{cohort}/", reverse("portal:cohort_calendar", kwargs={"slug": cohort})),
        (f"/participants/ics/cohorts/{cohort}.ics", reverse("portal:cohort_ics", kwargs={"slug": cohort})),
        (f"/participants/ics/sessions/{session}.ics", reverse("portal:session_ics", kwargs={"pk": session})),
        (f"/participants/ics/runs/{run}.ics", reverse("portal:run_ics", kwargs={"pk": run})),
    ]


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator"])
def test_every_old_address_answers_301_to_its_new_one(world: World, role: str):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    for old, new in _old_and_new(world):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


def test_the_query_string_comes_along(world: World):
    response = Client().get(f"/trainings/cohorts/{world.cohort.slug}/schedule/export/?format=xlsx")
    assert response.status_code == 301
    assert response["Location"] == f"/cohorts/{world.cohort.slug}/schedule/export/?format=xlsx"


def test_an_exercise_guide_keeps_its_address(world: World):
    """Exercises already lived under /exercises/: their guide is not moved."""
    url = reverse("exercises:exercise_detail", kwargs={"slug": world.exercise.slug})
    assert url == f"/exercises/{world.exercise.slug}/"


def test_a_subscribed_feed_keeps_working_at_its_old_address_without_sign_in(world: World):
    feed = feeds.calendar_feed_create(by=world.users["participant"])
    old = Client().get(f"/participants/calendar/{feed.token}.ics")
    new = Client().get(reverse("portal:calendar_feed", kwargs={"slug": feed.token}))
    assert old.status_code == new.status_code == 200
    assert old["Content-Type"].startswith("text/calendar")
    assert old.content == new.content


def test_an_old_address_cannot_send_people_off_the_site():
    for old in ("/trainings//evil.example/", "/participants/\\evil.example/", "/trainings/{rest}x"):
        response = Client().get(old)
        assert response.status_code == 301
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\"))
