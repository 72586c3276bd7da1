"""Team briefings appear once the run's teams are confirmed (issue 7, item 3).

The rule is exercises': ``exercises.view_team_briefing`` for one team, and its list side
``exercises.selectors.team_membership_list_for_user``. The dashboard and the calendars take teams only
from that selector; the tests here check what they show against the rule, before and after the
teams are confirmed. A calendar names the person's team but never carries a briefing: it lives on
outside Concord, in calendar programs and shared feeds.
"""

import pytest
from django.test import Client
from django.urls import reverse

from exercises.models import ExerciseRun, RunTeam
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.tests.teams import teams_confirm
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

TEAM_TEXTS = ("OUR-TEAM-BRIEFING", "OUR-TEAM-TASKS", "RIVAL-BRIEFING", "OTHER-COHORT-BRIEFING")
PERM = "exercises.view_team_briefing"


@pytest.fixture
def world() -> World:
    world = build_world()
    role = world.team.team_role
    role.tasks = "OUR-TEAM-TASKS"
    role.save()
    # Whatever the shared world says, the teams start as proposed, not confirmed.
    ExerciseRun.objects.filter(pk=world.run.pk).update(teams_confirmed_at=None)
    return world


def _fresh(team: RunTeam) -> RunTeam:
    """The team as stored now, with its run: the rule reads whether the run's teams are confirmed."""
    return RunTeam.objects.select_related("run").get(pk=team.pk)


def _signed_in(world: World) -> Client:
    client = Client()
    client.force_login(world.users["participant"])
    return client


def _dashboard(world: World) -> str:
    return _signed_in(world).get(reverse("dashboard")).content.decode()


def _calendars(world: World) -> dict[str, str]:
    """Everything a participant can take away as a calendar: their feed and the three downloads."""
    client = _signed_in(world)
    feed = calendars.calendar_feed_live_for_user(user=world.users["participant"]) or feeds.calendar_feed_create(
        by=world.users["participant"]
    )
    urls = {
        "feed": reverse("portal:calendar_feed", kwargs={"slug": feed.token}),
        "cohort .ics": reverse("portal:cohort_ics", kwargs={"slug": world.cohort.slug}),
        "session .ics": reverse("portal:session_ics", kwargs={"pk": world.session.pk}),
        "run .ics": reverse("portal:run_ics", kwargs={"pk": world.run.pk}),
    }
    taken = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        # Folded lines (RFC 5545) would split the words looked for.
        taken[name] = response.content.decode().replace("\r\n ", "")
    return taken


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_shows_no_briefing_before_the_teams_are_confirmed(world):
    html = _dashboard(world)
    for text in TEAM_TEXTS:
        assert text not in html

    teams_confirm(world.run)
    html = _dashboard(world)
    assert "OUR-TEAM-BRIEFING" in html
    assert "OUR-TEAM-TASKS" in html
    for text in ("RIVAL-BRIEFING", "OTHER-COHORT-BRIEFING"):
        assert text not in html


@pytest.mark.parametrize("confirmed", [False, True])
def test_the_dashboard_shows_exactly_the_briefings_the_rule_allows(world, confirmed):
    if confirmed:
        teams_confirm(world.run)
    user = world.users["participant"]
    html = _dashboard(world)
    for team, text in ((world.team, "OUR-TEAM-BRIEFING"), (world.team_rival, "RIVAL-BRIEFING")):
        assert (text in html) == user.has_perm(PERM, _fresh(team)), text


# --- calendars ----------------------------------------------------------------------------------


def test_calendars_name_a_persons_team_only_once_confirmed_and_never_carry_a_briefing(world):
    for name, content in _calendars(world).items():
        assert "Your team" not in content, name
        assert str(world.team) not in content, name

    teams_confirm(world.run)
    for name, content in _calendars(world).items():
        assert f"Your team: {world.team}" in content, name
        for text in TEAM_TEXTS:
            assert text not in content, name


@pytest.mark.parametrize("confirmed", [False, True])
def test_calendars_name_exactly_the_teams_the_rule_allows(world, confirmed):
    if confirmed:
        teams_confirm(world.run)
    user = world.users["participant"]
    for name, content in _calendars(world).items():
        for team in (world.team, world.team_rival):
            assert (f"Your team: {team}" in content) == user.has_perm(PERM, _fresh(team)), name
