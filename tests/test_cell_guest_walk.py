"""A guest of run A's cell, walked through every URL of the permission walk (pages and /api/v1/).

The walk's six roles have no guest; this module adds one on top of the same world: a person invited by
e-mail to run A's cell, with no role, no enrolment and no cohort membership. They must get what a
stranger to cohort A gets (``participant_other``'s answer) everywhere, except:

- the run itself (its page, its calendar file, its API record): 200;
- other pages and actions about run A: the run is visible to them, so a refusal there may be 403;

and nothing they are answered may name cohort A's people, teams' briefings, observations or roster.
"""

from typing import Any

import pytest
from django.test import Client

from exercises import services
from exercises.models import ExerciseRun, RunCellMember
from exercises.tests.factories import CellRoleFactory
from participants.models import Enrolment
from tests.test_permission_walk import EXPECTED, _outcome, _target, _url, _walked
from tests.world import ROLES, World
from trainings.models import CohortMember

pytestmark = pytest.mark.django_db

STRANGER = ROLES.index("participant_other")

# What the guest gets beyond a stranger: their run (URL names as in the walk).
GUEST_SEES = {
    "exercises:run_detail": 200,
    "portal:run_ics": 200,
    "api:exerciserun-detail": 200,
    # Their place: the cell room and its poll (which answers the room's live part on a first poll).
    "conduct:cell_room": 200,
    "conduct:cell_room_live": 200,
    # Not about access: a guest has no participant profile to show (like the staff).
    "participants:me": 404,
}


@pytest.fixture
def guest(world: World) -> Any:
    role = CellRoleFactory(exercise=world.exercise, name="The embassy")
    place = services.cell_guest_invite(
        run=world.run, email="guest@embassy.test", name="Gina Guest", cell_roles=[role], by=world.users["facilitator"]
    )
    # As after following the invitation's link: their own password (the account pages then answer as usual).
    place.user.set_password("guest-pass-123")
    place.user.save(update_fields=["password"])
    return place.user


def _about_run(name: str, url: str, world: World) -> bool:
    """Does the URL address run A (the run itself, or something under /runs/<A>/)?"""
    if url.startswith(f"/runs/{world.run.pk}/"):
        return True
    try:
        target = _target(name, world)
    except AssertionError:
        return False
    return isinstance(target, ExerciseRun) and target.pk == world.run.pk


def _secrets(world: World) -> dict[str, str]:
    people = {
        "participant": world.users["participant"].email,
        "team-mate": world.team_rival.memberships.get().enrolment.participant.user.email,
        "other facilitator": world.users["facilitator_other"].email,
    }
    return {
        **people,
        "our briefing": "OUR-TEAM-BRIEFING",
        "rival briefing": "RIVAL-BRIEFING",
        "other cohort's briefing": "OTHER-COHORT-BRIEFING",
        "observation": world.observation.text,
        "other observation": world.observation_other.text,
        "course": world.course.title,
        "other cohort": world.cohort_other.name,
        "other exercise": world.exercise_other.name,
    }


def test_the_guest_has_no_place_in_the_cohort(world: World, guest: Any):
    assert not Enrolment.objects.filter(participant__user=guest).exists()
    assert not CohortMember.objects.filter(user=guest).exists()
    assert not guest.groups.exists()
    assert RunCellMember.objects.get(user=guest).guest


def test_the_guest_gets_a_strangers_answer_everywhere_but_their_run(world: World, guest: Any):
    client = Client()
    client.force_login(guest)
    secrets = _secrets(world)
    wrong, leaks, checked = [], [], 0
    for name, keys in _walked():
        if name not in EXPECTED:
            continue  # the walk's own coverage test reports it
        url = _url(name, keys, world)
        response = client.get(url)
        actual = _outcome(response)
        stranger = EXPECTED[name][STRANGER]
        if name in GUEST_SEES:
            expected: tuple[Any, ...] = (GUEST_SEES[name],)
        elif stranger == 404 and _about_run(name, url, world):
            expected = (403, 404)  # the run is visible to them; what hangs off it may not be
        else:
            expected = (stranger,)
        checked += 1
        if actual not in expected:
            wrong.append(f"{name} {url}: expected {expected}, got {actual!r}")
        if response.status_code == 200:
            body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
            text = body.decode(errors="replace")
            leaks += [f"{name} {url} shows the {label}" for label, secret in secrets.items() if secret in text]
    assert checked >= len(GUEST_SEES)
    assert not wrong, "\n".join(wrong)
    assert not leaks, "\n".join(leaks)


def test_the_guest_lists_hold_their_run_and_their_place_only(world: World, guest: Any):
    client = Client()
    client.force_login(guest)
    runs = client.get("/api/v1/exercise-runs/").json()["results"]
    assert [row["id"] for row in runs] == [world.run.pk]
    assert runs[0]["teams"] == []
    assert runs[0]["own_team"] is None
    for path in (
        "/api/v1/cohorts/",
        "/api/v1/sessions/",
        "/api/v1/exercises/",
        "/api/v1/observations/",
        "/api/v1/participants/",
        "/api/v1/enrolments/",
    ):
        assert client.get(path).json()["results"] == [], path
    places = client.get("/api/v1/cell-members/").json()["results"]
    assert [row["user"]["email"] for row in places] == ["guest@embassy.test"]
