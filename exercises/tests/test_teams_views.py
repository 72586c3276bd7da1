"""The team page: proposal, moves by hand, preview and confirmation; who may use it; what participants see."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.models import ExerciseRun, TeamMembership
from exercises.selectors.teams import team_assignment_propose, team_roster_load
from exercises.tests.test_teams_services import build_run, enrol, enrol_mix, memberships, round_robin, teams_of
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from tests.world import World, build_world
from trainings.models import AgencyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _url(run: ExerciseRun) -> str:
    return reverse("exercises:run_teams", kwargs={"pk": run.pk})


def _selected(html: str) -> dict[int, int]:
    """Enrolment id -> the team selected for them in the page's form."""
    chosen = {}
    for name, body in re.findall(r'<select name="team_(\d+)"[^>]*>(.*?)</select>', html, flags=re.S):
        selected = re.search(r'<option value="(\d+)" selected>', body)
        assert selected, f"no team selected for enrolment {name}"
        chosen[int(name)] = int(selected.group(1))
    return chosen


def _post(assignment: dict[int, int], **extra: str) -> dict[str, str]:
    return {**{f"team_{e}": str(t) for e, t in assignment.items()}, **extra}


@pytest.fixture
def staffed_run():
    facilitator = FacilitatorFactory()
    run = build_run(facilitators=[facilitator])
    return run, facilitator


def test_the_page_first_shows_the_realistic_proposal_with_a_select_per_person(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run)
    client.force_login(facilitator)

    response = client.get(_url(run))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposal: Realistic" in html
    assert _selected(html) == team_assignment_propose(roster=team_roster_load(run=run), strategy="realistic")
    for enrolment in enrolments:
        assert str(enrolment.participant) in html
        assert enrolment.participant.agency.name in html
    assert 'name="confirm"' in html
    assert memberships(run) == {}  # showing a proposal saves nothing


@pytest.mark.parametrize("strategy", ["realistic", "perspective", "mixed"])
def test_asking_for_a_strategy_and_seed_shows_that_proposal(client, staffed_run, strategy):
    run, facilitator = staffed_run
    enrol_mix(run, per_kind=2)
    client.force_login(facilitator)

    response = client.get(_url(run), {"strategy": strategy, "seed": 11})

    html = response.content.decode()
    expected = team_assignment_propose(roster=team_roster_load(run=run), strategy=strategy, seed=11)
    assert _selected(html) == expected
    assert f'value="{strategy}" aria-describedby="strategy-{strategy}-help" checked' in html


def test_a_bad_strategy_is_explained_and_the_page_still_works(client, staffed_run):
    run, facilitator = staffed_run
    enrol_mix(run, per_kind=1)
    client.force_login(facilitator)

    response = client.get(_url(run), {"strategy": "random", "seed": -1})

    assert response.status_code == 200
    html = response.content.decode()
    # Hardening item 26: the refusal names the strategies there are.
    assert "“random” is not a valid choice; choose one of: Realistic, Perspective, Mixed." in html
    assert len(_selected(html)) == 5


def test_confirming_saves_the_teams_as_moved_by_hand(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=2)
    client.force_login(facilitator)
    proposal = team_assignment_propose(roster=team_roster_load(run=run), strategy="realistic")
    # Move two people by hand: swap the first police officer with the first NGO worker.
    police, ngo = enrolments[0], enrolments[6]
    proposal[police.pk], proposal[ngo.pk] = proposal[ngo.pk], proposal[police.pk]

    response = client.post(_url(run), _post(proposal, confirm="1"), follow=True)

    assert response.redirect_chain == [(run.get_absolute_url(), 302)]
    assert "The teams are confirmed" in response.content.decode()
    assert memberships(run) == proposal
    run.refresh_from_db()
    assert run.teams_confirmed_by == facilitator


def test_previewing_regroups_without_saving_and_warns_about_an_empty_team(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=1)
    teams = teams_of(run)
    client.force_login(facilitator)
    everyone_in_team_one = {e.pk: teams[0].pk for e in enrolments}

    response = client.post(_url(run), _post(everyone_in_team_one, preview="1"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your teams (not saved yet)" in html
    assert "No team may be left empty" in html
    assert _selected(html) == everyone_in_team_one
    assert memberships(run) == {}


def test_a_confirmation_that_leaves_a_team_empty_is_refused_and_saves_nothing(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=1)
    teams = teams_of(run)
    client.force_login(facilitator)
    earlier = dict(round_robin(enrolments, teams))
    client.post(_url(run), _post(earlier, confirm="1"))

    response = client.post(_url(run), _post({e.pk: teams[0].pk for e in enrolments}, confirm="1"))

    assert response.status_code == 200
    assert "No team may be left empty" in response.content.decode()
    assert memberships(run) == earlier


def test_a_team_that_is_not_the_runs_is_refused(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=1)
    other_run = build_run()
    client.force_login(facilitator)
    assignment = dict(round_robin(enrolments, teams_of(run)))
    assignment[enrolments[0].pk] = teams_of(other_run)[0].pk

    response = client.post(_url(run), _post(assignment, confirm="1"))

    teams = ", ".join(str(team) for team in teams_of(run))
    assert f"is not a valid choice; choose one of: {teams}." in response.content.decode()
    assert TeamMembership.objects.count() == 0


def test_after_confirmation_the_page_shows_the_confirmed_teams(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=1)
    confirmed = dict(round_robin(enrolments, teams_of(run)[::-1]))
    client.force_login(facilitator)
    client.post(_url(run), _post(confirmed, confirm="1"))

    html = client.get(_url(run)).content.decode()

    assert "Teams as confirmed" in html
    assert "Teams confirmed on" in html
    assert _selected(html) == confirmed


@pytest.mark.parametrize("status", [ExerciseRun.Status.RUNNING, ExerciseRun.Status.FINISHED])
def test_a_started_or_finished_run_shows_its_teams_read_only_and_refuses_changes(client, staffed_run, status):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=1)
    confirmed = dict(round_robin(enrolments, teams_of(run)))
    client.force_login(facilitator)
    client.post(_url(run), _post(confirmed, confirm="1"))
    ExerciseRun.objects.filter(pk=run.pk).update(status=status)
    latecomer = enrol(run, AgencyKind.NGO)

    page = client.get(_url(run)).content.decode()
    refused = client.post(_url(run), _post(dict(round_robin(enrolments, teams_of(run)[::-1])), confirm="1"))

    assert "can no longer be changed" in page or "kept as they played" in page
    main = page.split("<main", 1)[1]  # the header's language switcher is a select of its own
    assert "<select" not in main
    assert 'name="confirm"' not in page
    for enrolment in enrolments:
        assert str(enrolment.participant) in page
    # Someone enrolled later is shown outside the teams, not slipped into one.
    assert "Not in a team" in page
    assert str(latecomer.participant) in page
    assert "placed for now" not in page
    assert "can no longer be changed" in refused.content.decode() or "kept as they played" in refused.content.decode()
    assert memberships(run) == confirmed


def test_a_run_without_people_or_teams_says_so(client, coordinator):
    client.force_login(coordinator)
    no_teams = build_run(kinds=[])
    no_people = build_run()

    assert "This run has no teams." in client.get(_url(no_teams)).content.decode()
    assert "Nobody in this cohort is enrolled or invited yet." in client.get(_url(no_people)).content.decode()


# --- who may form teams ----------------------------------------------------------------------------


def test_the_runs_participant_gets_403_and_others_404_for_get_and_post(client, world):
    url = _url(world.run)
    before = memberships(world.run)
    answers = {}
    for role in ("participant", "participant_other", "facilitator_other", "facilitator", "coordinator"):
        client.force_login(world.users[role])
        answers[role] = (
            client.get(url).status_code,
            client.post(url, {f"team_{world.enrolment.pk}": str(world.team_rival.pk), "confirm": "1"}).status_code,
        )
    # Staff get the page; their POST names one of the run's two people only, so the form refuses it (200).
    assert answers == {
        "participant": (403, 403),
        "participant_other": (404, 404),
        "facilitator_other": (404, 404),
        "facilitator": (200, 200),
        "coordinator": (200, 200),
    }
    assert memberships(world.run) == before
    client.logout()
    assert client.post(url, {"confirm": "1"}).status_code == 302  # to the login page
    assert memberships(world.run) == before


def test_the_run_page_links_staff_to_the_team_page(client, world):
    link = reverse("exercises:run_teams", kwargs={"pk": world.run.pk})
    for role, shown in (("facilitator", True), ("coordinator", True), ("participant", False)):
        client.force_login(world.users[role])
        assert (f'href="{link}"' in client.get(world.run.get_absolute_url()).content.decode()) is shown, role


# --- what participants see after the confirmation ------------------------------------------------


def test_after_confirmation_each_participant_sees_their_own_team_briefing_only(client):
    coordinator = CoordinatorFactory()
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    police, ngo = enrol(run, AgencyKind.POLICE), enrol(run, AgencyKind.NGO)
    client.force_login(coordinator)
    proposal = team_assignment_propose(roster=team_roster_load(run=run), strategy="realistic")
    client.post(_url(run), _post(proposal, confirm="1"))

    for enrolment, own, other in (
        (police, "BRIEFING-police", "BRIEFING-ngo"),
        (ngo, "BRIEFING-ngo", "BRIEFING-police"),
    ):
        client.force_login(enrolment.participant.user)
        for page in (reverse("dashboard"), run.get_absolute_url()):
            html = client.get(page).content.decode()
            assert own in html, page
            assert other not in html, page


def test_an_invited_person_sees_their_team_on_the_run_page(client):
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    invited = enrol(run, AgencyKind.NGO, status=Enrolment.Status.INVITED)
    enrolled = enrol(run, AgencyKind.POLICE)
    client.force_login(CoordinatorFactory())
    client.post(
        _url(run), _post(team_assignment_propose(roster=team_roster_load(run=run), strategy="realistic"), confirm="1")
    )
    assert memberships(run).keys() == {invited.pk, enrolled.pk}

    client.force_login(invited.participant.user)
    html = client.get(run.get_absolute_url()).content.decode()

    assert "BRIEFING-ngo" in html
    assert "BRIEFING-police" not in html


# --- query counts -----------------------------------------------------------------------------------


def _queries(client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("confirmed", [False, True], ids=["proposal", "confirmed"])
def test_the_team_page_makes_as_many_queries_for_100_people_as_for_10(client, confirmed):
    coordinator = CoordinatorFactory()
    counts = []
    for per_kind in (2, 20):  # 10 and 100 people in five teams
        run = build_run()
        enrolments = enrol_mix(run, per_kind=per_kind)
        if confirmed:
            TeamMembership.objects.bulk_create(
                TeamMembership(run=run, team_id=t, enrolment_id=e) for e, t in round_robin(enrolments, teams_of(run))
            )
        client.force_login(coordinator)
        counts.append((_queries(client, _url(run)), _queries(client, _url(run), {"strategy": "mixed", "seed": "2"})))
    assert counts[0] == counts[1]


def test_people_enrolled_after_the_confirmation_are_pointed_out(client, staffed_run):
    run, facilitator = staffed_run
    enrolments = enrol_mix(run, per_kind=1)
    client.force_login(facilitator)
    client.post(_url(run), _post(dict(round_robin(enrolments, teams_of(run))), confirm="1"))
    newcomer = enrol(run, AgencyKind.POLICE, status=Enrolment.Status.INVITED)

    html = client.get(_url(run)).content.decode()

    assert "placed for now in the smallest teams" in html
    assert str(newcomer.participant) in html
    assert newcomer.pk in _selected(html)
    assert newcomer.pk not in memberships(run)


# --- people without an agency (hardening item 23) -------------------------------------------------


@pytest.mark.parametrize("started", [False, True], ids=["formable", "read only"])
def test_people_without_an_agency_are_shown_and_placed(client, started):
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    lone = EnrolmentFactory(cohort=run.cohort, participant=ParticipantFactory(agency=None, country=""))
    with_country = EnrolmentFactory(cohort=run.cohort, participant=ParticipantFactory(agency=None, country="RO"))
    enrol(run, AgencyKind.POLICE)
    client.force_login(CoordinatorFactory())
    if started:
        client.post(_url(run), _post(_selected(client.get(_url(run)).content.decode()), confirm="1"))
        ExerciseRun.objects.filter(pk=run.pk).update(status=ExerciseRun.Status.RUNNING)

    response = client.get(_url(run))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("No agency") == 2
    assert "· RO" in html
    if not started:
        assert {lone.pk, with_country.pk} <= set(_selected(html))
