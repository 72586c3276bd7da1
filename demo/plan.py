"""The seed exercise's plan (phases, team roles, injects) in the shape exercises' services take.

No database access: the current plan and the objectives come in, a plan comes out; the loader
compares the two and calls ``exercise_update`` only when they differ.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from demo import content
from demo.sync import Tally, label_of
from exercises import plans as exercise_plans
from exercises.models import Inject, Phase, TeamRole
from trainings.models import LearningObjective


def _objectives(codes: Sequence[str], objectives: Mapping[str, LearningObjective]) -> list[LearningObjective]:
    # Sorted as exercise_plan_of sorts them, so that an unchanged plan compares equal.
    return sorted((objectives[code] for code in codes), key=lambda o: (o.order, o.code))


def _number(row: Any) -> int:
    """A phase's order, a team role's or an inject's number (the plan's references between rows)."""
    number = row.order if isinstance(row, exercise_plans.PhaseInput) else row.number
    return number or 0


def _merge(seed: Sequence[Any], current: Sequence[Any]) -> list[Any]:
    """Seed rows take the ids of the current rows with their numbers (a run's teams play the team
    roles, its recorded times belong to the phases); rows a person added after the seed's stay."""
    by_number = {_number(row): row for row in current}
    seed_numbers = {_number(row) for row in seed}
    kept = [row for row in current if _number(row) not in seed_numbers]
    merged = [replace(row, id=by_number[_number(row)].id) if _number(row) in by_number else row for row in seed]
    return sorted([*merged, *kept], key=_number)


def seed_plan(
    *,
    current: exercise_plans.ExercisePlan,
    objectives: Mapping[str, LearningObjective],
    data: content.ExerciseData = content.EXERCISE,
) -> exercise_plans.ExercisePlan:
    phases = [
        exercise_plans.PhaseInput(
            order=p.order, name=p.name, kind=p.kind, planned_minutes=p.planned_minutes, instructions=p.instructions
        )
        for p in data.phases
    ]
    roles = [
        # The seed's teams are each one agency's: no positions.
        exercise_plans.TeamRoleInput(
            number=r.number, name=r.name, agency_kind=r.agency_kind, briefing=r.briefing, tasks=r.tasks, positions=[]
        )
        for r in data.team_roles
    ]
    injects = [
        exercise_plans.InjectInput(
            number=i.number,
            title=i.title,
            body=i.body,
            kind=i.kind,
            channel=i.channel,
            sender=i.sender,
            phase=i.phase_order,
            minute_offset=i.minute_offset,
            target_teams=sorted(i.target_role_numbers),
            expected_actions=i.expected_actions,
            learning_objectives=_objectives(i.objective_codes, objectives),
            depends_on=i.depends_on_number,
        )
        for i in data.injects
    ]
    return exercise_plans.ExercisePlan(
        phases=_merge(phases, current.phases),
        team_roles=_merge(roles, current.team_roles),
        injects=_merge(injects, current.injects),
        cell_roles=current.cell_roles,  # the seed names no cell roles: whatever was added stays
    )


def plan_tally(
    tally: Tally, *, current: exercise_plans.ExercisePlan | None, wanted: exercise_plans.ExercisePlan
) -> None:
    """Count the plan's rows as created, updated or unchanged, like every other object of the demo."""
    parts: list[tuple[type[Any], Sequence[Any], Sequence[Any]]] = [
        (Phase, current.phases if current else [], wanted.phases),
        (TeamRole, current.team_roles if current else [], wanted.team_roles),
        (Inject, current.injects if current else [], wanted.injects),
    ]
    for model, before, after in parts:
        label = label_of(model)
        by_id = {row.id: row for row in before}
        for row in after:
            if row.id is None:
                tally.created[label] += 1
            elif by_id[row.id] != row:
                tally.updated[label] += 1
            else:
                tally.unchanged[label] += 1
