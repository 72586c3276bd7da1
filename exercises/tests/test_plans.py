"""The rules of a whole plan (exercises/plans.py): pure, no database.

The models' own field checks come in as ``row_check``; ``plan_row_check`` (the real one) builds
unsaved rows and never queries, so these tests run without the database too.
"""

from types import SimpleNamespace

import pytest

from exercises.plans import ExistingPlan, plan_error_location, plan_errors
from exercises.services.plans import plan_row_check
from exercises.tests.plan_examples import example_plan


def _errors(plan, existing: ExistingPlan | None = None, **kwargs) -> dict[str, list[str]]:
    return plan_errors(plan=plan, existing=existing or ExistingPlan(), row_check=plan_row_check, **kwargs)


def test_a_good_plan_has_no_errors():
    assert _errors(example_plan()) == {}


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (lambda p: setattr(p.phases[1], "order", 1), "phases[1].order", "Number 1 is used twice."),
        (lambda p: setattr(p.team_roles[1], "number", 1), "team_roles[1].number", "Number 1 is used twice."),
        (lambda p: setattr(p.injects[2], "number", 2), "injects[2].number", "Number 2 is used twice."),
        (lambda p: setattr(p.team_roles[1], "number", 5), "team_roles", None),
        (lambda p: setattr(p.phases[1], "name", "preparation"), "phases[1].name", None),
        (lambda p: setattr(p.phases[0], "planned_minutes", 0), "phases[0].planned_minutes", None),
        (
            lambda p: setattr(p.injects[0], "depends_on", 1),
            "injects[0].depends_on",
            "An inject cannot depend on itself.",
        ),
        (lambda p: setattr(p.injects[0], "phase", 5), "injects[0].phase", "There is no phase number 5."),
        (lambda p: setattr(p.injects[0], "kind", "surprise"), "injects[0].kind", None),
        (lambda p: setattr(p.injects[0], "body", ""), "injects[0].body", None),
        (lambda p: setattr(p.team_roles[0], "agency_kind", "army"), "team_roles[0].agency_kind", None),
    ],
)
def test_each_bad_row_is_refused_with_its_own_key(change, key, message):
    plan = example_plan()
    change(plan)
    errors = _errors(plan)
    assert key in errors, errors
    if message:
        assert message in errors[key]


def test_dependency_cycles_are_refused_on_every_inject_of_the_circle():
    plan = example_plan()
    plan.injects[0].depends_on = 3  # 1 -> 3 -> 1
    errors = _errors(plan)
    assert errors["injects[0].depends_on"] == ["Injects 1 → 3 → 1 depend on each other in a circle."]
    assert errors["injects[2].depends_on"] == ["Injects 1 → 3 → 1 depend on each other in a circle."]
    assert "injects[1].depends_on" not in errors


def test_numbering_gaps_are_reported_on_the_list():
    plan = example_plan()
    plan.phases[1].order = 3
    errors = _errors(plan)
    assert errors["phases"] == ["Phases must be numbered 1 to 2 without gaps; missing: 2."]
    # Inject 1 refers to phase 2, which is now numbered 3: that reference is wrong too.
    assert errors["injects[0].phase"] == ["There is no phase number 2."]


def test_rows_runs_use_cannot_be_left_out_and_unknown_ids_are_refused():
    plan = example_plan()
    plan.phases[0].id, plan.phases[1].id = 11, 12
    plan.team_roles[0].id = 21
    plan.team_roles = plan.team_roles[:1]  # role 22 is left out
    plan.injects = [i for i in plan.injects if 2 not in i.target_teams]
    plan.injects[0].id = 99  # not one of the exercise's injects
    existing = ExistingPlan(
        phases={11: "Preparation", 12: "Crisis", 13: "Old crisis"},
        team_roles={21: "Team 1: Police", 22: "Team 2: NGO"},
        injects={31, 32},
        timed_phases={13},
        playing_roles={22},
    )
    errors = _errors(plan, existing)
    assert errors["phases"] == ["The phase “Old crisis” has recorded times in a run and cannot be removed."]
    assert errors["team_roles"] == ["Team 2: NGO plays in a run and cannot be removed."]
    assert errors["injects[0].id"] == ["This row is not part of the exercise."]


def test_retired_objectives_are_refused_unless_the_inject_has_them_already():
    retired = SimpleNamespace(pk=7, code="old", is_active=False)
    plan = example_plan()
    plan.injects[0].learning_objectives = [retired]
    plan.injects[0].id = 31
    plan.injects[1].learning_objectives = [retired]
    existing = ExistingPlan(injects={31}, inject_objectives={31: {7}})
    errors = _errors(plan, existing)
    assert "injects[0].learning_objectives" not in errors
    assert errors["injects[1].learning_objectives"] == ["Retired objectives cannot be added: old."]
    assert "injects[1].learning_objectives" not in _errors(plan, existing, keep_retired=True)


@pytest.mark.parametrize(
    ("key", "location"),
    [
        ("injects[2].phase", ("injects", 2, "phase")),
        ("phases", ("phases", None, "")),
        ("name", ("name", None, "")),
    ],
)
def test_error_keys_split_into_part_row_and_field(key, location):
    assert plan_error_location(key) == location
