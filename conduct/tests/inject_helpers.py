"""A run with three phases, three teams and planned injects, for the injects' tests."""

from dataclasses import dataclass
from typing import Any

from conduct.tests.helpers import clock_run
from exercises.models import ExerciseRun, Inject, Phase, RunTeam
from exercises.tests.factories import InjectFactory, RunTeamFactory, TeamRoleFactory


@dataclass
class InjectRun:
    run: ExerciseRun
    phases: list[Phase]  # 10, 20 and 30 minutes
    teams: list[RunTeam]  # police, border guard, labour inspectors
    by: Any  # the cohort's facilitator
    first: Inject  # phase 1 minute 5, to the police
    second: Inject  # phase 2 minute 0, to everyone; depends on the first
    third: Inject  # phase 2 minute 10, to the border guard and the inspectors


def inject_run(*, teams: int = 3) -> InjectRun:
    run, phases, by = clock_run()
    exercise = run.exercise
    made = [
        RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=exercise, number=n + 1, name=f"Team {n + 1}"))
        for n in range(teams)
    ]
    first = InjectFactory(exercise=exercise, number=1, title="Victims moved", phase=phases[0], minute_offset=5)
    first.target_roles.add(made[0].team_role)
    second = InjectFactory(
        exercise=exercise, number=2, title="Suspect escapes", phase=phases[1], minute_offset=0, depends_on=first
    )
    third = InjectFactory(exercise=exercise, number=3, title="Transport problem", phase=phases[1], minute_offset=10)
    third.target_roles.add(*(team.team_role for team in made[1:]))
    return InjectRun(run, phases, made, by, first, second, third)
