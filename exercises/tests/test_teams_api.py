"""The teams API: /api/v1/exercise-runs/{id}/teams/ (GET), .../teams/propose/ and .../teams/confirm/ (POST)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import CoordinatorFactory
from exercises.models import ExerciseRun, TeamMembership
from exercises.selectors.teams import team_assignment_propose, team_roster_load
from exercises.tests.test_teams_services import build_run, enrol, enrol_mix, memberships, round_robin, teams_of
from participants.models import Enrolment
from tests.world import World, build_world
from trainings.models import AgencyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _urls(run: ExerciseRun) -> tuple[str, str, str]:
    base = f"/api/v1/exercise-runs/{run.pk}/teams/"
    return base, f"{base}propose/", f"{base}confirm/"


def _rows(pairs) -> list[dict[str, int]]:
    return [{"enrolment": e, "team": t} for e, t in pairs]


def test_propose_answers_the_assistants_proposal_and_saves_nothing(api_client, coordinator):
    run = build_run()
    enrolments = enrol_mix(run, per_kind=2)
    api_client.force_authenticate(coordinator)
    _current, propose, _confirm = _urls(run)

    response = api_client.post(propose, {"strategy": "mixed", "seed": 9}, format="json")

    assert response.status_code == 200
    body = response.json()
    expected = team_assignment_propose(roster=team_roster_load(run=run), strategy="mixed", seed=9)
    assert body["strategy"] == "mixed"
    assert body["seed"] == 9
    assert {row["enrolment"]: row["team"] for row in body["assignments"]} == expected
    assert [team["id"] for team in body["teams"]] == [t.pk for t in teams_of(run)]
    assert sum(len(team["members"]) for team in body["teams"]) == len(enrolments)
    member = body["teams"][0]["members"][0]
    assert set(member) == {"enrolment", "participant", "name", "email", "status", "agency", "agency_kind", "country"}
    assert memberships(run) == {}


def test_propose_without_a_seed_uses_seed_0_and_refuses_an_unknown_strategy(api_client, coordinator):
    run = build_run()
    enrol_mix(run, per_kind=1)
    api_client.force_authenticate(coordinator)
    _current, propose, _confirm = _urls(run)

    assert api_client.post(propose, {"strategy": "perspective"}, format="json").json()["seed"] == 0
    refused = api_client.post(propose, {"strategy": "random"}, format="json")
    assert refused.status_code == 400
    # Hardening item 26: the refusal names the strategies there are.
    assert refused.json() == {
        "strategy": ["“random” is not a valid choice; use one of: realistic, perspective, mixed."]
    }
    # Whatever its type, and cut when long.
    for value, shown in ((5, "5"), ("x" * 500, "x" * 80), ({"a": 1}, "{'a': 1}")):
        refused = api_client.post(propose, {"strategy": value}, format="json")
        assert refused.json()["strategy"] == [
            f"“{shown}” is not a valid choice; use one of: realistic, perspective, mixed."
        ], value


def test_a_proposal_posted_back_to_confirm_is_saved_and_listed(api_client, facilitator):
    run = build_run(facilitators=[facilitator])
    enrolments = enrol_mix(run, per_kind=2)
    api_client.force_authenticate(facilitator)
    current, propose, confirm = _urls(run)
    proposal = api_client.post(propose, {"strategy": "realistic"}, format="json").json()

    saved = api_client.post(confirm, {"assignments": proposal["assignments"]}, format="json")

    assert saved.status_code == 200
    assert saved.json()["teams_confirmed_by"] == facilitator.email
    assert saved.json()["teams_confirmed_at"] is not None
    assert memberships(run) == {row["enrolment"]: row["team"] for row in proposal["assignments"]}
    listed = api_client.get(current).json()
    assert listed == saved.json()
    assert listed["can_form"] is True
    # Realistic with a perfect mix: every member of a team comes from that team's kind of agency.
    kinds = {e.pk: e.participant.agency.kind for e in enrolments}
    for team in listed["teams"]:
        assert {kinds[m["enrolment"]] for m in team["members"]} == {team["agency_kind"]}


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda run, pairs: pairs[1:], "not placed"),
        (lambda run, pairs: [*pairs, pairs[0]], "placed 2 times"),
        (
            lambda run, pairs: [*pairs, (enrol(run, "ngo", status=Enrolment.Status.WITHDRAWN).pk, pairs[0][1])],
            "not an enrolled or invited member",
        ),
        (lambda run, pairs: [(e, pairs[0][1]) for e, _t in pairs], "No team may be left empty"),
    ],
    ids=["missing", "twice", "withdrawn", "empty team"],
)
def test_a_wrong_confirmation_answers_400_with_the_reason_and_saves_nothing(api_client, coordinator, spoil, message):
    run = build_run()
    enrolments = enrol_mix(run, per_kind=1)
    api_client.force_authenticate(coordinator)
    _current, _propose, confirm = _urls(run)

    response = api_client.post(
        confirm, {"assignments": _rows(spoil(run, round_robin(enrolments, teams_of(run))))}, format="json"
    )

    assert response.status_code == 400
    assert message in " ".join(response.json()["assignments"])
    assert TeamMembership.objects.filter(run=run).count() == 0
    run.refresh_from_db()
    assert run.teams_confirmed_at is None


def test_a_malformed_confirmation_answers_400(api_client, coordinator):
    run = build_run()
    api_client.force_authenticate(coordinator)
    _current, _propose, confirm = _urls(run)

    assert api_client.post(confirm, {"assignments": [{"enrolment": "x"}]}, format="json").status_code == 400
    assert api_client.post(confirm, {}, format="json").status_code == 400


def test_a_started_run_cannot_be_re_teamed_over_the_api(api_client, coordinator):
    run = build_run(status=ExerciseRun.Status.RUNNING)
    enrolments = enrol_mix(run, per_kind=1)
    api_client.force_authenticate(coordinator)
    current, propose, confirm = _urls(run)

    proposed = api_client.post(propose, {"strategy": "mixed"}, format="json")
    confirmed = api_client.post(confirm, {"assignments": _rows(round_robin(enrolments, teams_of(run)))}, format="json")

    assert proposed.status_code == confirmed.status_code == 400
    assert "has started" in proposed.json()["non_field_errors"][0]
    assert "has started" in confirmed.json()["non_field_errors"][0]
    assert api_client.get(current).json()["can_form"] is False
    assert memberships(run) == {}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("participant", 403),  # sees the run, may not form its teams
        ("participant_other", 404),
        ("facilitator_other", 404),
        ("facilitator", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_read_propose_and_confirm(api_client, world, role, expected):
    run = world.run
    current, propose, confirm = _urls(run)
    before = memberships(run)
    api_client.force_authenticate(world.users[role])
    # Swap the run's two people: a valid confirmation for those allowed.
    swapped = {
        "assignments": _rows(
            [(world.enrolment.pk, world.team_rival.pk)]
            + [(e, world.team.pk) for e in before if e != world.enrolment.pk]
        )
    }

    answers = (
        api_client.get(current).status_code,
        api_client.post(propose, {"strategy": "mixed"}, format="json").status_code,
        api_client.post(confirm, swapped, format="json").status_code,
    )

    assert answers == (expected,) * 3
    if expected == 200:
        assert memberships(run)[world.enrolment.pk] == world.team_rival.pk
    else:
        assert memberships(run) == before


def test_anonymous_callers_are_asked_to_sign_in(api_client, world):
    for url in _urls(world.run):
        assert api_client.post(url, {}, format="json").status_code == 401
    assert api_client.get(_urls(world.run)[0]).status_code == 401


def test_listing_a_runs_teams_takes_as_many_queries_for_100_people_as_for_10(api_client):
    coordinator = CoordinatorFactory()
    api_client.force_authenticate(coordinator)
    api_client.get("/api/v1/exercise-runs/")  # the user's roles are cached on it after one request
    counts = []
    for per_kind in (2, 20):
        run = build_run()
        enrolments = enrol_mix(run, per_kind=per_kind)
        TeamMembership.objects.bulk_create(
            TeamMembership(run=run, team_id=t, enrolment_id=e) for e, t in round_robin(enrolments, teams_of(run))
        )
        current, propose, _confirm = _urls(run)
        with CaptureQueriesContext(connection) as listing:
            assert api_client.get(current).status_code == 200
        with CaptureQueriesContext(connection) as proposing:
            assert api_client.post(propose, {"strategy": "mixed"}, format="json").status_code == 200
        counts.append((len(listing.captured_queries), len(proposing.captured_queries)))
    assert counts[0] == counts[1]


def test_people_without_an_agency_are_listed_with_nulls(api_client, coordinator):
    run = build_run(kinds=[AgencyKind.POLICE])
    enrolment = enrol(run, AgencyKind.POLICE)
    enrolment.participant.agency = None
    enrolment.participant.save()
    api_client.force_authenticate(coordinator)

    body = api_client.post(_urls(run)[1], {"strategy": "realistic"}, format="json").json()

    member = body["teams"][0]["members"][0]
    assert member["agency"] is None
    assert member["agency_kind"] is None
