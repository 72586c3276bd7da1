"""A plan to start tests from: plain data, no database."""

from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput
from trainings.models import AgencyKind


def example_plan(**overrides: object) -> ExercisePlan:
    """Two phases (15 + 30 min, the second a crisis), two teams, three injects; 3 depends on 1."""
    plan = ExercisePlan(
        phases=[
            PhaseInput(order=1, name="Preparation", kind="preparation", planned_minutes=15),
            PhaseInput(order=2, name="Crisis", kind="crisis", planned_minutes=30, instructions="Keep time."),
        ],
        team_roles=[
            TeamRoleInput(number=1, name="Police", agency_kind=AgencyKind.POLICE, briefing="B1", tasks="T1"),
            TeamRoleInput(number=2, name="NGO", agency_kind=AgencyKind.NGO),
        ],
        injects=[
            InjectInput(
                number=1, title="Victims moved", body="They moved.", phase=2, minute_offset=5, target_teams=[1]
            ),
            InjectInput(number=2, title="Transport", body="No bus.", kind="logistical", phase=1, target_teams=[1, 2]),
            InjectInput(number=3, title="Escape", body="Run!", phase=2, minute_offset=20, depends_on=1),
        ],
    )
    for key, value in overrides.items():
        setattr(plan, key, value)
    return plan
