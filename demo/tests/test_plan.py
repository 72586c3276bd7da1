"""The seed plan, built without the database."""

from dataclasses import replace

from demo import content
from demo.plan import plan_tally, seed_plan
from demo.sync import Tally
from exercises import plans as exercise_plans
from trainings.models import LearningObjective

OBJECTIVES = {
    data.code: LearningObjective(pk=n, code=data.code, order=data.order)
    for n, data in enumerate(content.OBJECTIVES, start=1)
}


def _with_ids(plan: exercise_plans.ExercisePlan) -> exercise_plans.ExercisePlan:
    """The plan as exercise_plan_of would return it once saved: every row with an id."""
    return exercise_plans.ExercisePlan(
        phases=[replace(p, id=100 + n) for n, p in enumerate(plan.phases)],
        team_roles=[replace(r, id=200 + n) for n, r in enumerate(plan.team_roles)],
        injects=[replace(i, id=300 + n) for n, i in enumerate(plan.injects)],
    )


def test_a_new_exercise_gets_the_seeds_rows() -> None:
    plan = seed_plan(current=exercise_plans.ExercisePlan(), objectives=OBJECTIVES)

    assert [(p.order, p.planned_minutes, p.id) for p in plan.phases] == [
        (1, 15, None),
        (2, 15, None),
        (3, 30, None),
        (4, 15, None),
    ]
    assert [r.number for r in plan.team_roles] == [1, 2, 3, 4, 5]
    assert [(i.number, i.phase, list(i.target_teams), i.depends_on) for i in plan.injects] == [
        (1, 3, [1, 2, 5], None),
        (2, 3, [3, 4], None),
        (3, 3, [1, 2, 3, 4, 5], 2),
    ]


def test_the_saved_seed_plan_compares_equal_so_a_rerun_writes_nothing() -> None:
    saved = _with_ids(seed_plan(current=exercise_plans.ExercisePlan(), objectives=OBJECTIVES))
    tally = Tally()

    plan = seed_plan(current=saved, objectives=OBJECTIVES)
    plan_tally(tally, current=saved, wanted=plan)

    assert plan == saved
    assert not tally.changed
    assert tally.unchanged == {"phases": 4, "team roles": 5, "injects": 3}


def test_an_edited_row_is_restored_in_place_and_an_added_one_kept() -> None:
    saved = _with_ids(seed_plan(current=exercise_plans.ExercisePlan(), objectives=OBJECTIVES))
    saved.phases[1] = replace(saved.phases[1], planned_minutes=20)
    extra = exercise_plans.PhaseInput(id=999, order=5, name="Coffee", planned_minutes=10)
    saved.phases.append(extra)
    tally = Tally()

    plan = seed_plan(current=saved, objectives=OBJECTIVES)
    plan_tally(tally, current=saved, wanted=plan)

    assert [(p.id, p.order, p.planned_minutes) for p in plan.phases] == [
        (100, 1, 15),
        (101, 2, 15),
        (102, 3, 30),
        (103, 4, 15),
        (999, 5, 10),
    ]
    assert tally.updated == {"phases": 1}
    assert tally.unchanged["phases"] == 4
