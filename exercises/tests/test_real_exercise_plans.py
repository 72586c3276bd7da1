"""Mixed teams, positions and cell roles in a plan (exercises.plans and exercises.positions, pure: no database)."""

import pytest

from exercises.plans import CellRoleInput, ExistingPlan, PositionInput, TeamRoleInput, plan_errors
from exercises.positions import positions_parse, positions_text
from exercises.tests.plan_examples import example_plan
from trainings.models import AgencyKind


def _no_row_problems(part, values):
    return {}


def _errors(plan, existing=None):
    return plan_errors(plan=plan, existing=existing or ExistingPlan(), row_check=_no_row_problems)


def _mixed(**kwargs) -> TeamRoleInput:
    values = {
        "number": 3,
        "name": "National team",
        "agency_kind": "",
        "mixed": True,
        "planned_size": 4,
        "positions": [
            PositionInput(name="Investigator", agency_kind=AgencyKind.POLICE, seats=2),
            PositionInput(name="Labour inspector", agency_kind=AgencyKind.LABOUR_INSPECTION),
            PositionInput(name="Social worker", agency_kind=AgencyKind.SOCIAL_SERVICES),
        ],
    }
    values.update(kwargs)
    return TeamRoleInput(**values)


def _plan_with(*roles: TeamRoleInput, cells=None, **inject_changes):
    plan = example_plan()
    plan.team_roles.extend(roles)
    plan.cell_roles = cells
    for key, value in inject_changes.items():
        setattr(plan.injects[0], key, value)
    return plan


def test_a_mixed_team_with_positions_that_fit_its_planned_size_is_accepted():
    plan = _plan_with(_mixed(), cells=[CellRoleInput(name="The embassy")], delivered_by="the EMBASSY")
    assert _errors(plan) == {}


def test_a_mixed_team_names_no_agency_kind_and_a_plain_team_one():
    plan = _plan_with(_mixed(agency_kind=AgencyKind.POLICE))
    plan.team_roles[0].agency_kind = ""
    errors = _errors(plan)
    assert errors["team_roles[2].agency_kind"] == [
        "A mixed team has no agency kind of its own: leave it empty and name its positions."
    ]
    assert errors["team_roles[0].agency_kind"] == [
        "A team of one agency names its agency kind; or mark it as a mixed team."
    ]


def test_only_a_mixed_team_has_positions():
    role = _mixed(mixed=False, agency_kind=AgencyKind.POLICE)
    assert _errors(_plan_with(role)) == {
        "team_roles[2].positions": ["Only a mixed team has positions: mark it as mixed or remove its positions."]
    }


def test_positions_may_not_have_more_seats_than_the_planned_size():
    assert _errors(_plan_with(_mixed(planned_size=3))) == {
        "team_roles[2].positions": ["The positions have 4 seats, more than the team's planned size of 3."]
    }
    # Without a planned size, any number of seats is fine.
    assert _errors(_plan_with(_mixed(planned_size=None))) == {}


def test_position_names_are_unique_in_a_team_and_seats_at_least_one():
    role = _mixed(
        positions=[
            PositionInput(name="Investigator", agency_kind=AgencyKind.POLICE),
            PositionInput(name="investigator ", agency_kind=AgencyKind.POLICE),
            PositionInput(name="Analyst", agency_kind="army", seats=0),
        ]
    )
    assert _errors(_plan_with(role))["team_roles[2].positions"] == [
        "Two positions are named “investigator”.",
        "The position “Analyst” needs a known agency kind.",
        "The position “Analyst” has at least one seat.",
    ]


def test_a_planned_size_is_at_least_one():
    assert _errors(_plan_with(_mixed(planned_size=0, positions=[]))) == {
        "team_roles[2].planned_size": ["A team's planned size is at least one."]
    }


def test_left_out_positions_are_the_existing_ones_and_are_checked_as_such():
    role = _mixed(id=7, positions=None, planned_size=1)
    existing = ExistingPlan(
        team_roles={7: "Team 3: National team"},
        positions={7: [PositionInput(name="Investigator", agency_kind=AgencyKind.POLICE, seats=2)]},
    )
    assert _errors(_plan_with(role), existing) == {
        "team_roles[2].positions": ["The positions have 2 seats, more than the team's planned size of 1."]
    }


def test_cell_role_names_are_unique_and_injects_name_one_that_exists():
    cells = [CellRoleInput(name="The media"), CellRoleInput(name="the media ")]
    errors = _errors(_plan_with(cells=cells, delivered_by="The embassy"))
    assert errors == {
        "cell_roles[1].name": ["Another cell role is already named “the media ”."],
        "injects[0].delivered_by": ["There is no cell role named “The embassy”."],
    }


def test_a_plan_that_keeps_the_cell_roles_names_the_existing_ones():
    existing = ExistingPlan(cell_roles={4: "The embassy"})
    assert _errors(_plan_with(cells=None, delivered_by="The embassy"), existing) == {}
    assert "injects[0].delivered_by" in _errors(_plan_with(cells=[], delivered_by="The embassy"), existing)


def test_a_cell_role_id_must_be_the_exercises():
    errors = _errors(_plan_with(cells=[CellRoleInput(id=99, name="The embassy")]))
    assert errors == {"cell_roles[0].id": ["This row is not part of the exercise."]}


def test_positions_are_read_and_written_as_text():
    positions = positions_parse("Investigator: police: 2;\nLabour inspector: Labour inspection\n\nA: b: ngo")
    assert positions == [
        PositionInput(name="Investigator", agency_kind="police", seats=2),
        PositionInput(name="Labour inspector", agency_kind="labour_inspection", seats=1),
        PositionInput(name="A: b", agency_kind="ngo", seats=1),
    ]
    assert positions_parse(positions_text(positions)) == positions
    assert positions_parse("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Investigator", "Write each position as “name: agency kind”"),
        ("Investigator: 2", "Unknown agency kind “2”"),
        (": police", "Write each position as “name: agency kind”"),
        ("Investigator: army", "Unknown agency kind “army”"),
        ("Investigator: police: ２", "Unknown agency kind “２”"),
    ],
)
def test_wrong_positions_text_is_refused_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        positions_parse(text)
