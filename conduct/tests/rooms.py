"""A running exercise with two teams, a team of another run, its staff, and a guest role-player in the cell."""

from dataclasses import dataclass
from typing import Any

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, UserFactory
from conduct.services import run_start
from exercises.models import CellRole, ExerciseRun, RunTeam
from exercises.tests.factories import (
    CellRoleFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    PhaseFactory,
    RunCellMemberFactory,
    RunTeamFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
)
from trainings.tests.factories import CohortFactory


@dataclass
class Room:
    run: ExerciseRun
    police: RunTeam  # team A
    border: RunTeam  # team B
    other_team: RunTeam  # a team of another run (another cohort)
    alice: Any  # plays in police
    bob: Any  # plays in border
    olga: Any  # plays in the other run
    facilitator: Any
    coordinator: Any
    outsider: Any  # a facilitator of another cohort
    embassy: CellRole
    media: CellRole
    player: Any  # a guest role-player: plays the embassy in this run only


def room_run(*, start: bool = True) -> Room:
    facilitator = FacilitatorFactory()
    exercise = ExerciseFactory()
    PhaseFactory(exercise=exercise, order=1, name="Briefing", planned_minutes=10)
    PhaseFactory(exercise=exercise, order=2, name="Crisis", planned_minutes=30)
    run = ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(facilitators=[facilitator]))
    police = RunTeamFactory(
        run=run, team_role=TeamRoleFactory(exercise=exercise, name="Police", briefing="POLICE-BRIEFING")
    )
    border = RunTeamFactory(
        run=run, team_role=TeamRoleFactory(exercise=exercise, name="Border guard", briefing="BORDER-BRIEFING")
    )
    alice = TeamMembershipFactory(team=police).enrolment.participant.user
    bob = TeamMembershipFactory(team=border).enrolment.participant.user
    other_run = ExerciseRunFactory(exercise=exercise)
    other_team = RunTeamFactory(run=other_run, team_role=TeamRoleFactory(exercise=exercise, name="Labour"))
    olga = TeamMembershipFactory(team=other_team).enrolment.participant.user
    embassy = CellRoleFactory(exercise=exercise, name="Embassy")
    media = CellRoleFactory(exercise=exercise, name="Media")
    player = UserFactory(email="role-player@guest.test")
    RunCellMemberFactory(run=run, user=player, guest=True).cell_roles.add(embassy)
    run.refresh_from_db()
    if start:
        run = run_start(run=run, by=facilitator)
        run.refresh_from_db()
    return Room(
        run=run,
        police=police,
        border=border,
        other_team=other_team,
        alice=alice,
        bob=bob,
        olga=olga,
        facilitator=facilitator,
        coordinator=CoordinatorFactory(),
        outsider=FacilitatorFactory(),
        embassy=embassy,
        media=media,
        player=player,
    )
