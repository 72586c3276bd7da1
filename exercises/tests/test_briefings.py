"""Team briefings appear once the run's teams are confirmed (``ExerciseRun.teams_confirmed_at``).

Hardening issue, item 3: the team page said "nobody sees a team briefing" before confirmation, yet
the dashboard and the run page showed it. One rule now: the ``exercises.view_team_briefing``
predicate and ``exercises.selectors.team_membership_list_for_user`` (dashboard, run page, API,
and ``team_names_for_user`` for the calendar) agree, before and after confirmation.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory
from exercises import selectors, services
from exercises.models import RunTeam, TeamMembership
from exercises.tests.test_teams_services import build_run, enrol, teams_of
from trainings.models import AgencyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    """A run whose people sit in teams (as the admin or an old import left them), not yet confirmed."""
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    police, ngo = enrol(run, AgencyKind.POLICE), enrol(run, AgencyKind.NGO)
    police_team, ngo_team = teams_of(run)
    TeamMembership.objects.create(run=run, team=police_team, enrolment=police)
    TeamMembership.objects.create(run=run, team=ngo_team, enrolment=ngo)
    return run, police, police_team, ngo_team


def _confirm(run, police, police_team, ngo_team):
    ngo = TeamMembership.objects.get(team=ngo_team).enrolment
    services.team_assignment_confirm(
        run=run, assignments=[(police.pk, police_team.pk), (ngo.pk, ngo_team.pk)], by=CoordinatorFactory()
    )


def _everything_a_participant_sees(client, run, user) -> dict[str, object]:
    client.force_login(user)
    api = client.get(f"/api/v1/exercise-runs/{run.pk}/").json()
    # Fresh from the database: run.teams would hand back the test's own (stale) run.
    team = RunTeam.objects.get(run=run, memberships__enrolment__participant__user=user)
    return {
        "rule": user.has_perm("exercises.view_team_briefing", team),
        "selector": [m.team_id for m in selectors.team_membership_list_for_user(user=user)],
        "calendar": selectors.team_names_for_user(user=user, cohort_ids=[run.cohort_id]),
        "dashboard": client.get(reverse("dashboard")).content.decode(),
        "run page": client.get(run.get_absolute_url()).content.decode(),
        "api": api["own_team"],
    }


def test_before_confirmation_no_page_api_or_calendar_shows_a_participant_their_team(client, placed):
    run, police, _police_team, _ngo_team = placed
    seen = _everything_a_participant_sees(client, run, police.participant.user)
    assert seen["rule"] is False
    assert seen["selector"] == []
    assert seen["calendar"] == {}
    assert "BRIEFING-police" not in seen["dashboard"]
    assert "BRIEFING-police" not in seen["run page"]
    assert "The teams of this run are not confirmed yet" in seen["run page"]
    assert seen["api"] is None


def test_after_confirmation_every_page_the_api_and_the_calendar_show_it(client, placed):
    run, police, police_team, ngo_team = placed
    _confirm(run, police, police_team, ngo_team)
    seen = _everything_a_participant_sees(client, run, police.participant.user)
    assert seen["rule"] is True
    assert seen["selector"] == [police_team.pk]
    assert seen["calendar"] == {run.pk: str(police_team)}
    assert "BRIEFING-police" in seen["dashboard"]
    assert "BRIEFING-police" in seen["run page"]
    assert "BRIEFING-ngo" not in seen["run page"]
    assert seen["api"] == {
        "id": police_team.pk,
        "name": str(police_team),
        "number": 1,
        "briefing": "BRIEFING-police",
        "tasks": police_team.team_role.tasks,
        "language": "en",  # the briefing's language (exercises.selectors.variants)
    }


def test_the_rule_and_the_selector_agree_for_every_membership(placed):
    run, police, police_team, ngo_team = placed
    for confirmed in (False, True):
        if confirmed:
            _confirm(run, police, police_team, ngo_team)
        for membership in TeamMembership.objects.filter(run=run).select_related("enrolment__participant__user"):
            user = membership.enrolment.participant.user
            by_rule = user.has_perm("exercises.view_team_briefing", membership.team)
            by_selector = selectors.team_membership_list_for_user(user=user).filter(pk=membership.pk).exists()
            assert by_rule == by_selector == confirmed


def test_staff_read_every_briefing_before_confirmation(placed):
    _run, _police, police_team, ngo_team = placed
    coordinator = CoordinatorFactory()
    assert coordinator.has_perm("exercises.view_team_briefing", police_team)
    assert coordinator.has_perm("exercises.view_team_briefing", ngo_team)


def test_the_team_page_says_what_participants_see(client, placed):
    run, police, police_team, ngo_team = placed
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_teams", kwargs={"pk": run.pk})
    html = client.get(url).content.decode()
    assert (
        "The teams have not been confirmed yet: participants see their team and its briefing once you confirm" in html
    )
    assert "Teams as confirmed" not in html
    _confirm(run, police, police_team, ngo_team)
    html = client.get(url).content.decode()
    assert "Teams confirmed on" in html
    assert "Teams as confirmed" in html
