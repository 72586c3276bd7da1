"""A run's teams with planned sizes, a mixed team's positions and a simulation cell: what the
assistant proposes (exercises.selectors.teams), what confirming saves (exercises.services.teams)
and what the team page shows."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory
from exercises.models import TeamMembership
from exercises.selectors.teams import team_assignment_groups, team_assignment_propose, team_roster_load
from exercises.services.teams import team_assignment_confirm
from exercises.tests.factories import (
    CellRoleFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    RunCellMemberFactory,
    RunTeamFactory,
    TeamPositionFactory,
    TeamRoleFactory,
)
from exercises.tests.test_teams_services import enrol
from trainings.models import AgencyKind
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    """A police team planned at 2 and a national team planned at 4 (investigator x2, social worker x1);
    the exercise's cell plays the embassy, with a guest role-player."""
    exercise = ExerciseFactory()
    run = ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(capacity=50))
    police = TeamRoleFactory(exercise=exercise, number=1, name="Police", agency_kind=AgencyKind.POLICE, planned_size=2)
    national = TeamRoleFactory(exercise=exercise, number=2, name="National", agency_kind="", mixed=True, planned_size=4)
    TeamPositionFactory(team_role=national, order=1, name="Investigator", agency_kind=AgencyKind.POLICE, seats=2)
    TeamPositionFactory(team_role=national, order=2, name="Social worker", agency_kind=AgencyKind.SOCIAL_SERVICES)
    for role in (police, national):
        RunTeamFactory(run=run, team_role=role)
    embassy = CellRoleFactory(exercise=exercise, name="The embassy")
    RunCellMemberFactory(run=run, guest=True).cell_roles.add(embassy)
    return run


def _people(run):
    kinds = [AgencyKind.POLICE] * 4 + [AgencyKind.NGO, AgencyKind.NGO]
    return [enrol(run, kind) for kind in kinds]


def test_the_proposal_follows_planned_sizes_and_seats_nobody_in_the_cell(run):
    people = _people(run)
    roster = team_roster_load(run=run)
    assignment = team_assignment_propose(roster=roster, strategy="perspective", seed=2)
    assert set(assignment) == {e.pk for e in people}
    sizes = {team.team_role.name: list(assignment.values()).count(team.pk) for team in roster.teams}
    assert sizes == {"Police": 2, "National": 4}
    # The cell is not a team: the run's teams are its two team roles only.
    assert [t.team_role.name for t in roster.teams] == ["Police", "National"]


def test_the_national_teams_investigators_are_police_officers_whatever_the_strategy(run):
    people = _people(run)
    police_ids = {e.pk for e in people[:4]}
    roster = team_roster_load(run=run)
    for strategy in ("realistic", "perspective", "mixed"):
        assignment = team_assignment_propose(roster=roster, strategy=strategy, seed=0)
        national = next(g for g in team_assignment_groups(roster=roster, assignment=assignment) if g.positions)
        investigators, social_workers = national.positions
        assert len(investigators.holders) == 2
        assert {e.pk for e in investigators.holders} <= police_ids
        assert investigators.empty_seats == 0
        # Nobody of social services plays: the seat stays empty.
        assert (social_workers.holders, social_workers.empty_seats) == ([], 1)


def test_confirming_sets_each_members_position(run):
    people = _people(run)
    roster = team_roster_load(run=run)
    national_team = next(t for t in roster.teams if t.team_role.mixed)
    police_team = next(t for t in roster.teams if not t.team_role.mixed)
    # By hand: three police officers and an NGO worker in the national team.
    chosen = {people[0].pk, people[1].pk, people[2].pk, people[4].pk}
    pairs = [(e.pk, national_team.pk if e.pk in chosen else police_team.pk) for e in people]
    team_assignment_confirm(run=run, assignments=pairs, by=CoordinatorFactory())
    held = dict(TeamMembership.objects.filter(run=run).values_list("enrolment_id", "position__name"))
    assert held == {
        people[0].pk: "Investigator",
        people[1].pk: "Investigator",
        people[2].pk: None,  # a third officer: the two seats are taken
        people[3].pk: None,  # in the police team
        people[4].pk: None,
        people[5].pk: None,
    }


def test_the_team_page_shows_positions_and_empty_seats(client, run, django_assert_max_num_queries):
    _people(run)
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_teams", kwargs={"pk": run.pk})
    with django_assert_max_num_queries(30):
        html = client.get(url, {"strategy": "realistic", "seed": 0}).content.decode()
    assert "Mixed team" in html
    assert "Investigator</strong> (Police / law enforcement)" in html
    assert "1 empty seat" in html
    assert "planned: 4" in html
    assert "The embassy" not in html


def test_the_teams_api_lists_positions_with_their_holders(api_client, run):
    people = _people(run)
    api_client.force_authenticate(CoordinatorFactory())
    response = api_client.post(
        f"/api/v1/exercise-runs/{run.pk}/teams/propose/", {"strategy": "realistic"}, format="json"
    )
    assert response.status_code == 200, response.json()
    national = next(team for team in response.json()["teams"] if team["mixed"])
    assert (national["agency_kind"], national["planned_size"]) == ("", 4)
    investigator = national["positions"][0]
    assert (investigator["name"], investigator["seats"], investigator["empty_seats"]) == ("Investigator", 2, 0)
    assert set(investigator["holders"]) <= {e.pk for e in people[:4]}
