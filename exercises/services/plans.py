"""An exercise's plan against the database: what it holds now, the models' field checks, and writing
a validated plan. The rules of a plan are ``exercises.plans`` (pure)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Model, ProtectedError, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from exercises.models import CellRole, Exercise, ExerciseRun, Inject, Phase, RunPhase, RunTeam, TeamPosition, TeamRole
from exercises.plans import (
    CellRoleInput,
    Errors,
    ExercisePlan,
    ExistingPlan,
    InjectInput,
    PhaseInput,
    PositionInput,
    TeamRoleInput,
    plan_errors,
)
from trainings.models import LearningObjective

# Kept rows move out of the way first, so renumbering never meets the unique constraints halfway.
_RENUMBER_OFFSET = 1_000_000
_ROW_MODELS: dict[str, tuple[type[Model], list[str]]] = {
    "phases": (Phase, ["exercise"]),
    "team_roles": (TeamRole, ["exercise"]),
    "injects": (Inject, ["exercise", "phase", "depends_on", "delivered_by"]),
    "cell_roles": (CellRole, ["exercise"]),
}


def plan_row_check(part: str, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The model's field checks of one plan row (lengths, choices, blanks); no query.

    Relations, numbering and constraints are the plan's (``exercises.plans``), with messages on the right field.
    """
    model, exclude = _ROW_MODELS[part]
    try:
        model(**values).full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@dataclass
class ExerciseRows:
    """The exercise's current rows, by id, and what its runs use of them."""

    phases: dict[int, Phase]
    team_roles: dict[int, TeamRole]
    injects: dict[int, Inject]
    existing: ExistingPlan
    cell_roles: dict[int, CellRole]

    @classmethod
    def of(cls, exercise: Exercise | None) -> "ExerciseRows":
        if exercise is None or exercise.pk is None:
            return cls({}, {}, {}, ExistingPlan(), {})
        links: dict[int, set[int]] = {}
        through = Inject.learning_objectives.through.objects.filter(inject__exercise=exercise)
        for inject_id, objective_id in through.values_list("inject_id", "learningobjective_id"):
            links.setdefault(inject_id, set()).add(objective_id)
        phases = {p.pk: p for p in Phase.objects.filter(exercise=exercise)}
        roles = {r.pk: r for r in TeamRole.objects.filter(exercise=exercise)}
        injects = {i.pk: i for i in Inject.objects.filter(exercise=exercise)}
        cell_roles = {c.pk: c for c in CellRole.objects.filter(exercise=exercise)}
        positions: dict[int, list[PositionInput]] = {}
        for position in TeamPosition.objects.filter(team_role__exercise=exercise).order_by("order", "pk"):
            positions.setdefault(position.team_role_id, []).append(_position_input(position))
        existing = ExistingPlan(
            phases={pk: p.name for pk, p in phases.items()},
            team_roles={pk: str(r) for pk, r in roles.items()},
            injects=set(injects),
            inject_objectives=links,
            timed_phases=set(RunPhase.objects.filter(phase__exercise=exercise).values_list("phase_id", flat=True)),
            playing_roles=set(
                RunTeam.objects.filter(team_role__exercise=exercise).values_list("team_role_id", flat=True)
            ),
            cell_roles={pk: c.name for pk, c in cell_roles.items()},
            positions=positions,
        )
        return cls(phases=phases, team_roles=roles, injects=injects, existing=existing, cell_roles=cell_roles)


def _position_input(position: TeamPosition) -> PositionInput:
    return PositionInput(name=position.name, agency_kind=position.agency_kind, seats=position.seats)


def exercise_plan_errors(*, exercise: Exercise | None, plan: ExercisePlan, keep_retired: bool = False) -> Errors:
    """Every problem of ``plan`` for ``exercise`` (None for a new one); empty when it may be saved."""
    return plan_errors(
        plan=plan, existing=ExerciseRows.of(exercise).existing, row_check=plan_row_check, keep_retired=keep_retired
    )


def plan_apply(*, exercise: Exercise, plan: ExercisePlan, rows: ExerciseRows) -> None:
    """Write a validated plan: delete what is gone, update what stays, create what is new."""
    kept_phases = [p.id for p in plan.phases if p.id]
    kept_roles = [r.id for r in plan.team_roles if r.id]
    kept_injects = [i.id for i in plan.injects if i.id]
    Inject.objects.filter(exercise=exercise).exclude(pk__in=kept_injects).delete()
    Phase.objects.filter(exercise=exercise).exclude(pk__in=kept_phases).delete()
    TeamRole.objects.filter(exercise=exercise).exclude(pk__in=kept_roles).delete()
    Phase.objects.filter(exercise=exercise).update(order=F("order") + _RENUMBER_OFFSET)
    TeamRole.objects.filter(exercise=exercise).update(number=F("number") + _RENUMBER_OFFSET)
    Inject.objects.filter(exercise=exercise).update(number=F("number") + _RENUMBER_OFFSET, depends_on=None)

    phases: dict[int | None, Phase] = {}
    for p in plan.phases:
        phase = rows.phases.get(p.id) if p.id else None
        phase = phase or Phase(exercise=exercise)
        phase.order, phase.name, phase.kind = p.order, p.name, p.kind  # type: ignore[assignment]
        phase.planned_minutes, phase.instructions = p.planned_minutes, p.instructions  # type: ignore[assignment]
        phase.save()
        phases[p.order] = phase

    roles: dict[int | None, TeamRole] = {}
    new_roles: list[TeamRole] = []
    for r in plan.team_roles:
        role = rows.team_roles.get(r.id) if r.id else None
        if role is None:
            role = TeamRole(exercise=exercise)
            new_roles.append(role)
        role.number, role.name, role.agency_kind = r.number, r.name, r.agency_kind  # type: ignore[assignment]
        role.briefing, role.tasks = r.briefing, r.tasks
        role.mixed, role.planned_size = r.mixed, r.planned_size
        role.save()
        roles[r.number] = role
        if r.positions is not None:
            _positions_apply(role=role, positions=r.positions)
    _run_teams_for_new_roles(exercise=exercise, roles=new_roles)
    cells = _cell_roles_apply(exercise=exercise, plan=plan, rows=rows)

    injects: dict[int | None, Inject] = {}
    for i in plan.injects:
        inject = rows.injects.get(i.id) if i.id else None
        inject = inject or Inject(exercise=exercise)
        inject.number, inject.title, inject.body = i.number, i.title, i.body  # type: ignore[assignment]
        inject.kind, inject.channel, inject.sender = i.kind, i.channel, i.sender
        inject.phase = phases.get(i.phase) if i.phase is not None else None
        inject.minute_offset = i.minute_offset or 0
        inject.expected_actions = i.expected_actions
        inject.delivered_by = cells.get(i.delivered_by.strip().casefold()) if i.delivered_by else None
        inject.depends_on = None
        inject.save()
        injects[i.number] = inject
    for i in plan.injects:
        if i.depends_on is not None:
            inject = injects[i.number]
            inject.depends_on = injects[i.depends_on]
            inject.save(update_fields=["depends_on"])

    targets = Inject.target_roles.through
    links = Inject.learning_objectives.through
    targets.objects.filter(inject__exercise=exercise).delete()
    links.objects.filter(inject__exercise=exercise).delete()
    targets.objects.bulk_create(
        [
            targets(inject_id=injects[i.number].pk, teamrole_id=roles[n].pk)
            for i in plan.injects
            for n in dict.fromkeys(i.target_teams)
        ]
    )
    links.objects.bulk_create(
        [
            links(inject_id=injects[i.number].pk, learningobjective_id=o.pk)
            for i in plan.injects
            for o in {o.pk: o for o in i.learning_objectives}.values()
        ]
    )


def _positions_apply(*, role: TeamRole, positions: Sequence[PositionInput]) -> None:
    """Positions are matched by name, so that people placed in a kept position stay there."""
    current = {p.name.casefold(): p for p in role.positions.all()}
    wanted = {p.name.strip().casefold() for p in positions}
    TeamPosition.objects.filter(pk__in=[p.pk for key, p in current.items() if key not in wanted]).delete()
    for order, item in enumerate(positions, start=1):
        position = current.get(item.name.strip().casefold()) or TeamPosition(team_role=role)
        position.order, position.name = order, item.name.strip()
        position.agency_kind, position.seats = item.agency_kind, item.seats or 1
        position.save()


def _cell_roles_apply(*, exercise: Exercise, plan: ExercisePlan, rows: ExerciseRows) -> dict[str, CellRole]:
    """Write the plan's cell roles (unless it keeps them); the exercise's cell roles by folded name."""
    if plan.cell_roles is not None:
        kept = [c.id for c in plan.cell_roles if c.id]
        try:
            CellRole.objects.filter(exercise=exercise).exclude(pk__in=kept).delete()
        except ProtectedError:
            raise ApplicationError(
                _("A cell role that has delivered injects or exchanged messages in a run cannot be removed."),
                field_errors={"cell_roles": [_("A cell role used in a run cannot be removed.")]},
            ) from None
        # Renamed roles may swap names: move the kept ones out of the way first.
        CellRole.objects.filter(exercise=exercise).update(
            name=Concat(Value("~renaming~"), Cast("pk", output_field=CharField()))
        )
        for c in plan.cell_roles:
            cell = rows.cell_roles.get(c.id) if c.id else None
            cell = cell or CellRole(exercise=exercise)
            cell.name, cell.description = c.name.strip(), c.description
            cell.save()
    return {c.name.casefold(): c for c in CellRole.objects.filter(exercise=exercise)}


def _run_teams_for_new_roles(*, exercise: Exercise, roles: Sequence[TeamRole]) -> None:
    """A run still being planned gets a team for a role added to its exercise, as it has for the others."""
    if not roles:
        return
    runs = ExerciseRun.objects.filter(
        exercise=exercise, status=ExerciseRun.Status.PLANNED, teams_confirmed_at__isnull=True
    ).values_list("pk", flat=True)
    RunTeam.objects.bulk_create([RunTeam(run_id=run_id, team_role=role) for run_id in runs for role in roles])


def _objectives_in_order(inject: Inject) -> list[LearningObjective]:
    return sorted(inject.learning_objectives.all(), key=lambda o: (o.order, o.code))


def exercise_plan_of(*, exercise: Exercise) -> ExercisePlan:
    """The exercise's current plan, with ids, in the shape the writes take."""
    phases = list(exercise.phases.order_by("order"))
    order_of = {p.pk: p.order for p in phases}
    roles = list(exercise.team_roles.prefetch_related("positions").order_by("number"))
    number_of_role = {r.pk: r.number for r in roles}
    injects = list(
        exercise.injects.select_related("depends_on", "delivered_by").prefetch_related(
            "target_roles", "learning_objectives"
        )
    )
    return ExercisePlan(
        phases=[
            PhaseInput(
                id=p.pk,
                order=p.order,
                name=p.name,
                kind=p.kind,
                planned_minutes=p.planned_minutes,
                instructions=p.instructions,
            )
            for p in phases
        ],
        team_roles=[
            TeamRoleInput(
                id=r.pk,
                number=r.number,
                name=r.name,
                agency_kind=r.agency_kind,
                briefing=r.briefing,
                tasks=r.tasks,
                mixed=r.mixed,
                planned_size=r.planned_size,
                positions=[_position_input(p) for p in r.positions.all()],
            )
            for r in roles
        ],
        injects=[
            InjectInput(
                id=i.pk,
                number=i.number,
                title=i.title,
                body=i.body,
                kind=i.kind,
                channel=i.channel,
                sender=i.sender,
                phase=order_of.get(i.phase_id) if i.phase_id else None,
                minute_offset=i.minute_offset,
                target_teams=sorted(number_of_role[r.pk] for r in i.target_roles.all()),
                expected_actions=i.expected_actions,
                learning_objectives=_objectives_in_order(i),
                depends_on=i.depends_on.number if i.depends_on else None,
                delivered_by=i.delivered_by.name if i.delivered_by else "",
            )
            for i in sorted(injects, key=lambda i: i.number)
        ],
        cell_roles=[CellRoleInput(id=c.pk, name=c.name, description=c.description) for c in exercise.cell_roles.all()],
    )
