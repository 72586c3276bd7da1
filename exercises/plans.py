"""An exercise's plan (phases, team roles, injects) as plain data, and the rules a whole plan follows.

Pure: no database. A plan arrives whole (from the inline forms, the API or a master events list)
and is validated whole before anything is written: one refusal lists every problem and saves
nothing. Inside a plan, injects refer to phases, teams and other injects by their numbers, because
rows added in the same request have no id yet. Errors are keyed ``<part>[<index>].<field>``
(``injects[2].phase``) or ``<part>`` for the list as a whole, so forms, the API and the import can
put them in place.

What the exercise holds now comes in as ``ExistingPlan`` and the model's own field checks (lengths,
choices, blanks) as ``row_check``: ``exercises.services.plans`` loads and supplies both.
"""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from trainings.models import AgencyKind

Errors = dict[str, list[str]]
PARTS = ("phases", "team_roles", "injects")


class Objective(Protocol):
    """A learning objective as the plan sees it (``trainings.LearningObjective`` fits)."""

    pk: Any
    code: str
    is_active: bool


@dataclass
class PhaseInput:
    """A phase of a plan; ``id`` keeps (and updates) an existing phase of the exercise."""

    order: int | None
    name: str
    planned_minutes: int | None
    kind: str = "play"
    instructions: str = ""
    id: int | None = None


@dataclass
class PositionInput:
    """A seat of a mixed team, e.g. “investigator (police)”; ``seats`` people of that agency kind."""

    name: str
    agency_kind: str
    seats: int | None = 1


@dataclass
class TeamRoleInput:
    """A team role. ``mixed``: a national multi-agency team, with no agency kind of its own but
    ``positions``; ``positions=None`` keeps an existing role's positions as they are (a client or
    file that does not know about them), ``[]`` removes them."""

    number: int | None
    name: str
    agency_kind: str
    briefing: str = ""
    tasks: str = ""
    id: int | None = None
    mixed: bool = False
    planned_size: int | None = None
    positions: Sequence[PositionInput] | None = None


@dataclass
class CellRoleInput:
    """A role the simulation cell plays (“the embassy”); injects name it as the one that delivers them."""

    name: str
    description: str = ""
    id: int | None = None


@dataclass
class InjectInput:
    """An inject; ``phase``, ``target_teams`` and ``depends_on`` are numbers within the same plan."""

    number: int | None
    title: str
    body: str
    kind: str = "new_information"
    channel: str = "in_person"
    sender: str = ""
    phase: int | None = None
    minute_offset: int | None = 0
    target_teams: Sequence[int] = ()
    expected_actions: str = ""
    learning_objectives: Sequence[Objective] = ()
    depends_on: int | None = None
    id: int | None = None
    delivered_by: str = ""  # the name of a cell role of the plan; "" for none


@dataclass
class ExercisePlan:
    """``cell_roles=None`` keeps the exercise's cell roles as they are (a client or file that does not
    know about them); injects then name those."""

    phases: list[PhaseInput] = field(default_factory=list)
    team_roles: list[TeamRoleInput] = field(default_factory=list)
    injects: list[InjectInput] = field(default_factory=list)
    cell_roles: list[CellRoleInput] | None = None


@dataclass(frozen=True)
class ExistingPlan:
    """The exercise's rows now, by id (all empty for a new exercise)."""

    phases: Mapping[int, str] = field(default_factory=dict)  # id -> name
    team_roles: Mapping[int, str] = field(default_factory=dict)  # id -> “Team 1: Police”
    injects: Collection[int] = ()
    inject_objectives: Mapping[int, Collection[int]] = field(default_factory=dict)  # inject id -> objective ids
    timed_phases: Collection[int] = ()  # phases with recorded times in a run
    playing_roles: Collection[int] = ()  # team roles a run's team plays
    cell_roles: Mapping[int, str] = field(default_factory=dict)  # id -> name
    positions: Mapping[int, Sequence[PositionInput]] = field(default_factory=dict)  # team role id -> positions


def effective_positions(item: TeamRoleInput, existing: ExistingPlan) -> Sequence[PositionInput]:
    """The positions a role will have: its own, or (``None``) those it has now."""
    if item.positions is not None:
        return item.positions
    return existing.positions.get(item.id, ()) if item.id else ()


def effective_cell_role_names(plan: "ExercisePlan", existing: ExistingPlan) -> list[str]:
    """The names of the cell roles the exercise will have."""
    if plan.cell_roles is not None:
        return [c.name for c in plan.cell_roles]
    return list(existing.cell_roles.values())


# The model's checks of one row: (part, field values) -> field name (or "__all__") -> messages.
RowCheck = Callable[[str, Mapping[str, Any]], Mapping[str, Sequence[str]]]


def plan_error_location(key: str) -> tuple[str, int | None, str]:
    """Split an error key:
    ``"injects[2].phase"`` -> ``("injects", 2, "phase")``;
    ``"phases"`` -> ``("phases", None, "")``.

    A key without a part (an exercise field such as ``"name"``) comes back as ``(key, None, "")``.
    """
    part, _sep, rest = key.partition("[")
    if not rest:
        return key, None, ""
    index, _sep, field_name = rest.partition("].")
    return part, int(index), field_name


def row_key(part: str, index: int, field_name: str) -> str:
    return f"{part}[{index}].{field_name}"


def error_add(errors: Errors, key: str, message: str) -> None:
    messages = errors.setdefault(key, [])
    if message not in messages:
        messages.append(message)


def _numbering_message(part: str) -> str:
    messages = {
        "phases": _("Phases must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
        "team_roles": _("Teams must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
        "injects": _("Injects must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
        "exercises": _("Exercises must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
    }
    return messages[part]


def numbering_errors(errors: Errors, part: str, numbers: Sequence[int | None], field_name: str) -> None:
    """Numbers are unique and run 1..n: the order people read, and the references injects use."""
    seen: set[int] = set()
    duplicated = False
    for index, number in enumerate(numbers):
        if number is None:
            continue
        if number in seen:
            duplicated = True
            error_add(
                errors, row_key(part, index, field_name), _("Number %(number)s is used twice.") % {"number": number}
            )
        seen.add(number)
    count = len(numbers)
    if not duplicated and None not in numbers and seen != set(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - seen)
        error_add(
            errors,
            part,
            _numbering_message(part) % {"count": count, "missing": ", ".join(str(n) for n in missing)},
        )


def retired_objective_errors(
    objectives: Iterable[Objective], *, linked: Iterable[int], key: str, errors: Errors
) -> None:
    """Retired objectives stay where they are linked already, but are not linked anew."""
    linked_ids = set(linked)
    retired = sorted(o.code for o in objectives if not o.is_active and o.pk not in linked_ids)
    if retired:
        error_add(errors, key, _("Retired objectives cannot be added: %(codes)s.") % {"codes": ", ".join(retired)})


def plan_errors(
    *, plan: ExercisePlan, existing: ExistingPlan, row_check: RowCheck, keep_retired: bool = False
) -> Errors:
    """Every problem of ``plan`` for an exercise holding ``existing``; empty when it may be saved."""
    errors: Errors = {}
    _phase_errors(errors, plan, existing, row_check)
    _team_role_errors(errors, plan, existing, row_check)
    _cell_role_errors(errors, plan, existing, row_check)
    _inject_errors(errors, plan, existing, row_check, keep_retired=keep_retired)
    _removal_errors(errors, plan, existing)
    return errors


def _row_errors(errors: Errors, part: str, index: int, values: Mapping[str, Any], row_check: RowCheck) -> None:
    for field_name, messages in row_check(part, values).items():
        for message in messages:
            error_add(errors, part if field_name == "__all__" else row_key(part, index, field_name), message)


def _ids_errors(errors: Errors, part: str, ids: Sequence[int | None], existing: Collection[int]) -> None:
    seen: set[int] = set()
    for index, pk in enumerate(ids):
        if pk is None:
            continue
        if pk not in existing:
            error_add(errors, row_key(part, index, "id"), _("This row is not part of the exercise."))
        elif pk in seen:
            error_add(errors, row_key(part, index, "id"), _("This row appears twice."))
        seen.add(pk)


def _removal_errors(errors: Errors, plan: ExercisePlan, existing: ExistingPlan) -> None:
    """Rows that runs depend on cannot go: a run's teams play the roles, a run's phases keep their times."""
    kept_phases = {p.id for p in plan.phases if p.id}
    for pk in sorted(pk for pk in existing.timed_phases if pk not in kept_phases and pk in existing.phases):
        error_add(
            errors,
            "phases",
            _("The phase “%(name)s” has recorded times in a run and cannot be removed.")
            % {"name": existing.phases[pk]},
        )
    kept_roles = {r.id for r in plan.team_roles if r.id}
    for pk in sorted(pk for pk in existing.playing_roles if pk not in kept_roles and pk in existing.team_roles):
        error_add(
            errors,
            "team_roles",
            _("%(team)s plays in a run and cannot be removed.") % {"team": existing.team_roles[pk]},
        )


def _phase_errors(errors: Errors, plan: ExercisePlan, existing: ExistingPlan, row_check: RowCheck) -> None:
    _ids_errors(errors, "phases", [p.id for p in plan.phases], existing.phases.keys())
    names: dict[str, int] = {}
    for index, item in enumerate(plan.phases):
        # Values may be missing (None) in a row read from a file: the row check reports them.
        values = {
            "order": item.order,
            "name": item.name,
            "kind": item.kind,
            "planned_minutes": item.planned_minutes,
            "instructions": item.instructions,
        }
        _row_errors(errors, "phases", index, values, row_check)
        if item.order is not None and item.order < 1:
            error_add(errors, row_key("phases", index, "order"), _("Numbers start at 1."))
        if item.planned_minutes is not None and item.planned_minutes < 1:
            error_add(errors, row_key("phases", index, "planned_minutes"), _("A phase must last at least one minute."))
        # Injects and the master events list name phases: two phases with one name would be ambiguous.
        folded = item.name.strip().casefold()
        if folded and folded in names:
            error_add(
                errors,
                row_key("phases", index, "name"),
                _("Another phase is already named “%(name)s”.") % {"name": item.name},
            )
        names.setdefault(folded, index)
    numbering_errors(errors, "phases", [p.order for p in plan.phases], "order")


def _team_role_errors(errors: Errors, plan: ExercisePlan, existing: ExistingPlan, row_check: RowCheck) -> None:
    _ids_errors(errors, "team_roles", [r.id for r in plan.team_roles], existing.team_roles.keys())
    for index, item in enumerate(plan.team_roles):
        values = {
            "number": item.number,
            "name": item.name,
            "agency_kind": item.agency_kind,
            "briefing": item.briefing,
            "tasks": item.tasks,
        }
        _row_errors(errors, "team_roles", index, values, row_check)
        if item.number is not None and item.number < 1:
            error_add(errors, row_key("team_roles", index, "number"), _("Numbers start at 1."))
        _mixed_team_errors(errors, index, item, effective_positions(item, existing))
    numbering_errors(errors, "team_roles", [r.number for r in plan.team_roles], "number")


def _mixed_team_errors(errors: Errors, index: int, item: TeamRoleInput, positions: Sequence[PositionInput]) -> None:
    """A mixed team names positions and no agency kind; a team of one agency the reverse."""
    if item.mixed and item.agency_kind:
        error_add(
            errors,
            row_key("team_roles", index, "agency_kind"),
            _("A mixed team has no agency kind of its own: leave it empty and name its positions."),
        )
    if not item.mixed and not item.agency_kind:
        error_add(
            errors,
            row_key("team_roles", index, "agency_kind"),
            _("A team of one agency names its agency kind; or mark it as a mixed team."),
        )
    if item.planned_size is not None and item.planned_size < 1:
        error_add(errors, row_key("team_roles", index, "planned_size"), _("A team's planned size is at least one."))
    if not positions:
        return
    key = row_key("team_roles", index, "positions")
    if not item.mixed:
        error_add(errors, key, _("Only a mixed team has positions: mark it as mixed or remove its positions."))
    names: set[str] = set()
    seats = 0
    for position in positions:
        name = position.name.strip()
        if not name:
            error_add(errors, key, _("Every position has a name."))
        elif len(name) > 200:
            error_add(errors, key, _("A position's name has at most 200 characters."))
        if name.casefold() in names:
            error_add(errors, key, _("Two positions are named “%(name)s”.") % {"name": name})
        names.add(name.casefold())
        if position.agency_kind not in AgencyKind.values:
            error_add(errors, key, _("The position “%(name)s” needs a known agency kind.") % {"name": name})
        if position.seats is None or position.seats < 1:
            error_add(errors, key, _("The position “%(name)s” has at least one seat.") % {"name": name})
        else:
            seats += position.seats
    if item.planned_size is not None and item.planned_size >= 1 and seats > item.planned_size:
        error_add(
            errors,
            key,
            _("The positions have %(seats)s seats, more than the team's planned size of %(size)s.")
            % {"seats": seats, "size": item.planned_size},
        )


def _cell_role_errors(errors: Errors, plan: ExercisePlan, existing: ExistingPlan, row_check: RowCheck) -> None:
    if plan.cell_roles is None:
        return
    _ids_errors(errors, "cell_roles", [c.id for c in plan.cell_roles], existing.cell_roles.keys())
    names: set[str] = set()
    for index, item in enumerate(plan.cell_roles):
        _row_errors(errors, "cell_roles", index, {"name": item.name, "description": item.description}, row_check)
        folded = item.name.strip().casefold()
        if folded and folded in names:
            error_add(
                errors,
                row_key("cell_roles", index, "name"),
                _("Another cell role is already named “%(name)s”.") % {"name": item.name},
            )
        names.add(folded)


def _inject_errors(
    errors: Errors, plan: ExercisePlan, existing: ExistingPlan, row_check: RowCheck, *, keep_retired: bool
) -> None:
    _ids_errors(errors, "injects", [i.id for i in plan.injects], existing.injects)
    phase_minutes = {p.order: p.planned_minutes for p in plan.phases if p.order is not None}
    phase_names = {p.order: p.name for p in plan.phases if p.order is not None}
    team_numbers = {r.number for r in plan.team_roles if r.number is not None}
    inject_numbers = {i.number for i in plan.injects if i.number is not None}
    cell_roles = {name.strip().casefold() for name in effective_cell_role_names(plan, existing)}
    for index, item in enumerate(plan.injects):
        values = {
            "number": item.number,
            "title": item.title,
            "body": item.body,
            "kind": item.kind,
            "channel": item.channel,
            "sender": item.sender,
            "minute_offset": item.minute_offset,
            "expected_actions": item.expected_actions,
        }
        _row_errors(errors, "injects", index, values, row_check)
        if item.number is not None and item.number < 1:
            error_add(errors, row_key("injects", index, "number"), _("Numbers start at 1."))
        if item.phase is not None:
            minutes = phase_minutes.get(item.phase)
            if item.phase not in phase_minutes:
                error_add(
                    errors,
                    row_key("injects", index, "phase"),
                    _("There is no phase number %(number)s.") % {"number": item.phase},
                )
            elif minutes and item.minute_offset is not None and item.minute_offset >= minutes:
                error_add(
                    errors,
                    row_key("injects", index, "minute_offset"),
                    _("The offset must fall inside the phase “%(phase)s”: 0 to %(last)s minutes.")
                    % {"phase": phase_names[item.phase], "last": minutes - 1},
                )
        unknown_teams = sorted({n for n in item.target_teams if n not in team_numbers})
        if unknown_teams:
            error_add(
                errors,
                row_key("injects", index, "target_teams"),
                _("There is no team number %(numbers)s.") % {"numbers": ", ".join(str(n) for n in unknown_teams)},
            )
        if item.delivered_by and item.delivered_by.strip().casefold() not in cell_roles:
            error_add(
                errors,
                row_key("injects", index, "delivered_by"),
                _("There is no cell role named “%(name)s”.") % {"name": item.delivered_by},
            )
        if item.depends_on is not None:
            if item.depends_on == item.number:
                error_add(errors, row_key("injects", index, "depends_on"), _("An inject cannot depend on itself."))
            elif item.depends_on not in inject_numbers:
                error_add(
                    errors,
                    row_key("injects", index, "depends_on"),
                    _("There is no inject number %(number)s.") % {"number": item.depends_on},
                )
        if not keep_retired:
            retired_objective_errors(
                item.learning_objectives,
                linked=existing.inject_objectives.get(item.id, ()) if item.id else (),
                key=row_key("injects", index, "learning_objectives"),
                errors=errors,
            )
    numbering_errors(errors, "injects", [i.number for i in plan.injects], "number")
    _dependency_cycle_errors(errors, plan)


def _dependency_cycle_errors(errors: Errors, plan: ExercisePlan) -> None:
    depends = {
        i.number: i.depends_on
        for i in plan.injects
        if i.number is not None and i.depends_on is not None and i.depends_on != i.number
    }
    index_of = {i.number: index for index, i in enumerate(plan.injects) if i.number is not None}
    reported: set[int] = set()
    for start in sorted(depends):
        path = [start]
        current = depends.get(start)
        while current is not None and current not in path:
            path.append(current)
            current = depends.get(current)
        if current is None or current in reported:
            continue
        cycle = path[path.index(current) :]
        text = " → ".join(str(n) for n in [*cycle, cycle[0]])
        for number in cycle:
            reported.add(number)
            error_add(
                errors,
                row_key("injects", index_of[number], "depends_on"),
                _("Injects %(cycle)s depend on each other in a circle.") % {"cycle": text},
            )


def phases_shown(phases: Iterable[Any]) -> list[tuple[Any, ...]]:
    """What a run's calendar event says of the phases (rows or inputs): their order, names and lengths."""
    return sorted(((p.order or 0), p.name, p.planned_minutes) for p in phases)
