"""The exercise the master events list tests export and import, and the objectives it names."""

import pytest

from exercises import services
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput
from trainings.models import AgencyKind
from trainings.tests.factories import LearningObjectiveFactory

TRICKY = [
    "=SUM(A1:A9)",  # neutralised on export, given back on import
    "-5 minutes later",
    "+48 22 123 45 67",
    "@all teams",
    "'quoted already",
    "'=looks like a neutralised formula",
    "''two quotes",
    "Zażółć gęślą jaźń; Здравей, свят; Țară, Șef",
    'Line one\nLine two, with a comma and "quotes"',
]


@pytest.fixture
def objectives():
    return [LearningObjectiveFactory(code="identify"), LearningObjectiveFactory(code="cooperate")]


@pytest.fixture
def exercise(objectives):
    identify, cooperate = objectives
    plan = ExercisePlan(
        phases=[
            PhaseInput(order=1, name="Preparation", kind="preparation", planned_minutes=15, instructions=TRICKY[0]),
            PhaseInput(order=2, name="Preliminary phase", kind="play", planned_minutes=15),
            PhaseInput(order=3, name="Crisis phase", kind="crisis", planned_minutes=30, instructions=TRICKY[8]),
            PhaseInput(order=4, name="Debriefing", kind="debriefing", planned_minutes=15),
        ],
        team_roles=[
            TeamRoleInput(number=1, name="Police", agency_kind=AgencyKind.POLICE, briefing=TRICKY[4], tasks=TRICKY[1]),
            TeamRoleInput(number=2, name="Border guard", agency_kind=AgencyKind.BORDER_GUARD, briefing=TRICKY[7]),
            TeamRoleInput(number=3, name="NGO", agency_kind=AgencyKind.NGO, tasks=TRICKY[6]),
        ],
        injects=[
            InjectInput(
                number=1,
                title="Victims moved to a neighbouring region",
                body=TRICKY[2],
                kind="new_information",
                channel="phone",
                sender=TRICKY[3],
                phase=3,
                minute_offset=5,
                target_teams=[1, 2],
                expected_actions=TRICKY[5],
                learning_objectives=[identify, cooperate],
            ),
            InjectInput(
                number=2,
                title="Transport difficulties",
                body="The bus broke down.",
                kind="logistical",
                channel="email",
                phase=2,
                minute_offset=0,
                target_teams=[3],
            ),
            InjectInput(
                number=3,
                title="A suspect tries to escape",
                body="He is at the border.",
                kind="confusion",
                channel="radio",
                phase=3,
                minute_offset=29,
                depends_on=1,
                learning_objectives=[cooperate],
            ),
            InjectInput(number=4, title="Unplanned", body="No phase, no teams.", kind="other", channel="in_person"),
        ],
    )
    return services.exercise_create(
        name="Recognising victims – interviewing suspects",
        planned_minutes=90,
        kind="simulation",
        country="PL",
        aim=TRICKY[8],
        scenario="A truck at the border.",
        materials=TRICKY[0],
        facilitator_guidelines="Keep time.",
        tips=TRICKY[5],
        online_variation="Breakout rooms.",
        debriefing_guidance=TRICKY[7],
        learning_objectives=[identify],
        plan=plan,
    )
