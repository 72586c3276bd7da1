"""Every API route, asked for HTML, as a participant of another cohort: no name they must not see.

The browsable API draws forms on 403 and 405 pages whose related fields list every row, and
answers ``?format=api`` and ``Accept: text/html``. Outside DEBUG it is off (JSON only); with DEBUG
on, writes to one object are refused before a form is drawn, and trainings' related fields are
read-only or limited to what the user may see. Routes are walked from the URL resolver, as the
permission walk does, so a new route is covered the day it is added.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from tests.test_permission_walk import TOKENS, _patterns, _target
from tests.world import World
from trainings.models import Cohort, Course, Session
from trainings.tests.factories import CohortFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

MISSING = 987654  # an id that exists nowhere: "the id need not exist"
METHODS = ("get", "options", "post")


def _api_routes() -> list[tuple[str, tuple[str, ...]]]:
    return [(name, keys) for name, keys in _patterns() if name.startswith("api")]


def _reverse(name: str, kwargs: dict[str, Any]) -> str:
    if "format" not in kwargs:
        return reverse(name, kwargs=kwargs or None)
    # DRF's format-suffix patterns: a regex group wants "api", the path converter ".api".
    for suffix in ("api", ".api"):
        try:
            return reverse(name, kwargs={**kwargs, "format": suffix})
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: cannot reverse its format-suffix pattern")


def _urls(name: str, keys: tuple[str, ...], world: World) -> Iterator[str]:
    """The route about cohort A's object (hidden from the caller) and about an id that does not exist."""
    base: dict[str, Any] = {key: TOKENS[key] for key in keys if key in TOKENS}
    if "format" in keys:
        base["format"] = ""
    lookups = [key for key in keys if key in ("pk", "slug")]
    if not lookups:
        yield _reverse(name, base)
        return
    yield _reverse(name, {**base, **{key: getattr(_target(name, world), key) for key in lookups}})
    yield _reverse(name, {**base, **dict.fromkeys(lookups, MISSING)})


def _secrets(world: World) -> dict[str, str]:
    """Make every name of cohort A's side unmistakable, and add a cohort nobody of B's takes part in."""
    hidden_course = CourseFactory(title="Zzhidden Course Title", slug="zzhidden-course")
    hidden_cohort = CohortFactory(course=hidden_course, name="Zzhidden Cohort Name", slug="zzhidden-cohort")
    SessionFactory(cohort=hidden_cohort, title="Zzhidden Session Title")
    Cohort.objects.filter(pk=world.cohort.pk).update(name="Zzsecret Cohort Name")
    Course.objects.filter(pk=world.course.pk).update(title="Zzsecret Course Title")
    Session.objects.filter(pk=world.session.pk).update(title="Zzsecret Session Title")
    type(world.exercise).objects.filter(pk=world.exercise.pk).update(name="Zzsecret Exercise Name")
    people = {
        "participant": world.users["participant"],
        "facilitator": world.users["facilitator"],
        "team-mate": world.team_rival.memberships.get().enrolment.participant.user,
    }
    secrets = {
        "cohort": "Zzsecret Cohort Name",
        "cohort slug": world.cohort.slug,
        "course": "Zzsecret Course Title",
        "session": "Zzsecret Session Title",
        "exercise": "Zzsecret Exercise Name",
        "hidden course": "Zzhidden Course Title",
        "hidden cohort": "Zzhidden Cohort Name",
        "hidden session": "Zzhidden Session Title",
    }
    for role, user in people.items():
        User.objects.filter(pk=user.pk).update(first_name="Zzperson", last_name=f"Zz{role.replace('-', '')}")
        secrets[f"{role} name"] = f"Zz{role.replace('-', '')}"
        secrets[f"{role} email"] = user.email
    return secrets


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_no_api_route_shows_a_participant_of_another_cohort_what_they_may_not_see(world: World, debug: bool):
    secrets = _secrets(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["participant_other"])
    leaks: list[str] = []
    asked = 0
    with override_settings(DEBUG=debug):
        for name, keys in _api_routes():
            for url in _urls(name, keys, world):
                for method in METHODS:
                    for extra, query in (({"HTTP_ACCEPT": "text/html"}, ""), ({}, "format=api")):
                        target = f"{url}?{query}" if query and "format" not in keys else url
                        response = getattr(client, method)(target, **extra)
                        asked += 1
                        body = response.content.decode(errors="replace")
                        if response.status_code >= 500:
                            leaks.append(f"{method.upper()} {target} {extra}: {response.status_code}")
                        found = sorted(label for label, text in secrets.items() if text in body)
                        if found:
                            leaks.append(f"{method.upper()} {target} ({response.status_code}): {', '.join(found)}")
    assert asked > 100
    assert not leaks, "\n".join(leaks)


def test_outside_debug_the_api_answers_json_only(world: World):
    client = Client()
    client.force_login(world.users["participant_other"])
    assert client.get("/api/v1/sessions/", HTTP_ACCEPT="text/html").status_code == 406
    assert client.get("/api/v1/sessions/?format=api").status_code == 404
    browser = client.get("/api/v1/sessions/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser["Content-Type"] == "application/json"
    with override_settings(DEBUG=True):
        assert client.get("/api/v1/sessions/?format=api")["Content-Type"].startswith("text/html")


def test_a_write_to_one_object_is_refused_before_the_browsable_api_draws_its_form(world: World):
    client = Client()
    client.force_login(world.users["participant_other"])
    with override_settings(DEBUG=True):
        page = client.get(f"/api/v1/sessions/{MISSING}/reinstate/?format=api")
        assert page.status_code == 405
        assert "<select" not in page.content.decode()  # no form: the caller may not reinstate it
    # A POST to a session the caller cannot see is 404, to one they see but may not change 403.
    assert client.post(f"/api/v1/sessions/{world.session.pk}/reinstate/").status_code == 404
    assert client.post(f"/api/v1/sessions/{world.session_other.pk}/reinstate/").status_code == 403
    assert client.post(f"/api/v1/sessions/{MISSING}/reinstate/").status_code == 404
    assert client.post("/api/v1/sessions/not-a-number/reinstate/").status_code == 404
