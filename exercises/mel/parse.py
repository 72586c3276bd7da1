"""Reading a master events list into an exercise's fields and plan, cell by cell (pure: no database).

Every wrong cell is reported by line and column; rows are still read as far as they can be, so the
import can report the plan's own problems (``exercises.plans``) in the same answer. What needs the
database (the objective catalogue, the rows of an exercise being replaced, whether a slug is
taken) is passed in by ``exercises.services.mel``.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tabular import Row, table_read
from core.text import excerpt
from exercises.choices import ExerciseKind, InjectChannel, InjectKind, PhaseKind
from exercises.mel.format import COLUMNS, GUIDE_FIELDS, MULTILINE, REQUIRED, MelError, cell_in
from exercises.plans import (
    CellRoleInput,
    ExercisePlan,
    InjectInput,
    Objective,
    PhaseInput,
    TeamRoleInput,
    plan_error_location,
)
from exercises.positions import positions_parse
from trainings.models import AgencyKind

_LIST_SEPARATORS = re.compile(r"[;,\s]+")
# ASCII digits only: int() also takes “٥”, “５” and “1_0”, and str.isdigit() is true for “²”.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_YES = frozenset({"yes", "y", "true", "1", "x", "mixed"})
_NO = frozenset({"", "no", "n", "false", "0"})
_CELL_RECORDS = frozenset({"cell", "cell role", "cell_role"})
# How much of a list of codes a message quotes.
_CODES_SHOWN = 200

# Service field names -> MEL columns, by part of the plan.
_COLUMN_OF = {
    "phases": {"order": "number", "id": "number", "planned_minutes": "minutes"},
    "team_roles": {"id": "number"},
    "cell_roles": {"id": "name"},
    "injects": {"id": "number", "body": "message", "learning_objectives": "objectives", "delivered_by": "sender"},
    "exercise": {"planned_minutes": "minutes", "learning_objectives": "objectives"},
}


@dataclass
class MelParse:
    exercise_fields: dict[str, Any]
    plan: ExercisePlan
    errors: list[MelError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    exercise_line: int | None = None
    lines: dict[tuple[str, int], int] = field(default_factory=dict)  # (part, index) -> line


class ObjectiveCatalogue:
    """The learning objectives a file may name, by code (case does not matter)."""

    def __init__(self, objectives: Iterable[Objective]) -> None:
        self.objectives = list(objectives)
        self.by_code: dict[str, Objective] = {}
        for objective in self.objectives:
            self.by_code.setdefault(objective.code, objective)
            self.by_code.setdefault(objective.code.casefold(), objective)

    def get(self, code: str) -> Objective | None:
        return self.by_code.get(code) or self.by_code.get(code.casefold())

    def known(self) -> str:
        """The codes that may be added (a retired objective only stays where it is), for a message."""
        codes = ", ".join(o.code for o in self.objectives if o.is_active)
        return excerpt(codes, _CODES_SHOWN) if codes else _("none yet")


class _Reader:
    """Reads one row's cells, recording each problem with its line and column."""

    def __init__(self, row: Row, errors: list[MelError]) -> None:
        self.row, self.errors = row, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(MelError(self.row.line, column, message))

    def text(self, column: str) -> str:
        return cell_in(self.row.get(column))

    def number(self, column: str, *, required: bool = True, minimum: int = 1) -> int | None:
        value = self.row.get(column).strip()
        if not value:
            if required:
                self.error(column, _("A number is needed here."))
            return None
        if not _WHOLE_NUMBER.fullmatch(value):
            self.error(column, _("Write a whole number, not “%(value)s”.") % {"value": excerpt(value)})
            return None
        number = int(value)
        if number < minimum:
            self.error(column, _("The number must be at least %(minimum)s.") % {"minimum": minimum})
            return None
        return number

    def choice(self, column: str, choices: type[TextChoices], *, default: str | None = None) -> str:
        value = self.row.get(column).strip()
        if not value:
            if default is None:
                self.error(column, _("A value is needed here."))
                return ""
            return default
        folded = value.casefold()
        for choice_value, label in choices.choices:
            if folded in (str(choice_value).casefold(), str(label).casefold()):
                return str(choice_value)
        self.error(
            column,
            _("Unknown value “%(value)s”; use one of: %(choices)s.")
            % {"value": excerpt(value), "choices": ", ".join(str(v) for v in choices.values)},
        )
        return ""

    def flag(self, column: str) -> bool:
        value = self.row.get(column).strip().casefold()
        if value in _YES:
            return True
        if value not in _NO:
            self.error(column, _("Write “yes” or leave it empty, not “%(value)s”.") % {"value": excerpt(value)})
        return False

    def numbers(self, column: str) -> list[int]:
        value = self.row.get(column)
        tokens = [t for t in _LIST_SEPARATORS.split(value.strip()) if t]
        if not all(_DIGITS.fullmatch(t) for t in tokens):
            self.error(
                column,
                _("Write team numbers separated by ';', e.g. 1;2;5, not “%(value)s”.") % {"value": excerpt(value)},
            )
            return []
        return list(dict.fromkeys(int(t) for t in tokens))

    def objectives(self, column: str, catalogue: ObjectiveCatalogue) -> list[Objective]:
        """The cell's objective codes; whatever is not a code is one error for the cell, not one per word."""
        found: list[Objective] = []
        unknown: list[str] = []
        for code in [t for t in _LIST_SEPARATORS.split(self.row.get(column).strip()) if t]:
            objective = catalogue.get(code)
            if objective is None:
                unknown.append(code)
            elif objective not in found:
                found.append(objective)
        unknown = list(dict.fromkeys(unknown))
        if unknown:
            codes = excerpt(", ".join(f"“{excerpt(code, 40)}”" for code in unknown), _CODES_SHOWN)
            self.error(
                column,
                ngettext(
                    "Unknown objective code: %(codes)s. Write the objectives' codes separated by ';'; "
                    "the known codes are: %(known)s.",
                    "Unknown objective codes: %(codes)s. Write the objectives' codes separated by ';'; "
                    "the known codes are: %(known)s.",
                    len(unknown),
                )
                % {"codes": codes, "known": catalogue.known()},
            )
        return found


def mel_parse(
    *,
    content: bytes,
    filename: str,
    catalogue: ObjectiveCatalogue,
    replacing: bool = False,
    size: int | None = None,
    cell_roles: Iterable[str] = (),
) -> MelParse:
    """Read a MEL into an exercise's fields and plan. File-level problems raise ``core.tabular.TabularError``;
    row problems are collected in ``errors``.

    ``size`` is the upload's real size (see ``core.tabular.table_read``). ``replacing``: the file
    replaces an exercise's plan, so its exercise row is not applied (see ``mel_match_ids``, which
    gives the rows the identity of the exercise's rows with the same numbers).

    Columns added later (mixed teams, positions, cell roles) are optional: a file without the
    Positions column keeps an exercise's positions, one without cell rows keeps its ``cell_roles``
    (their names), and an inject's Sender that names a cell role becomes the cell role delivering it.
    """
    table = table_read(content=content, filename=filename, required=REQUIRED, multiline=MULTILINE, size=size)
    parsed = MelParse(exercise_fields={}, plan=ExercisePlan())
    known = {key for key, _h in COLUMNS}
    ignored = [h for h in table.headers if h and h not in known]
    if ignored:
        parsed.warnings.append(
            _("Columns not in the format were ignored: %(columns)s.")
            % {"columns": ", ".join(excerpt(h, 40) for h in ignored)}
        )
    errors = parsed.errors
    errors.extend(MelError(e.line, e.column, e.message) for e in table.errors if e.column in known)
    phase_rows: list[tuple[_Reader, PhaseInput]] = []
    inject_rows: list[tuple[_Reader, str]] = []  # with the phase cell, resolved once every phase is known

    for row in table.rows:
        reader = _Reader(row, errors)
        record = row.get("record").strip().casefold()
        if record == "exercise":
            if parsed.exercise_line is not None:
                reader.error(
                    "record",
                    _("Only one exercise row is allowed (the first is on line %(line)s).")
                    % {"line": parsed.exercise_line},
                )
                continue
            parsed.exercise_line = row.line
            if replacing:
                continue
            parsed.exercise_fields = {
                "name": reader.text("name"),
                "kind": reader.choice("kind", ExerciseKind, default=ExerciseKind.SIMULATION),
                "planned_minutes": reader.number("minutes"),
                "slug": reader.text("slug"),
                "country": reader.text("country").upper(),
                "learning_objectives": reader.objectives("objectives", catalogue),
                **{name: reader.text(name) for name in GUIDE_FIELDS},
            }
        elif record == "phase":
            phase = PhaseInput(
                order=reader.number("number"),
                name=reader.text("name"),
                kind=reader.choice("kind", PhaseKind, default=PhaseKind.PLAY),
                planned_minutes=reader.number("minutes"),
                instructions=reader.text("instructions"),
            )
            parsed.lines[("phases", len(parsed.plan.phases))] = row.line
            parsed.plan.phases.append(phase)
            phase_rows.append((reader, phase))
        elif record == "team":
            parsed.lines[("team_roles", len(parsed.plan.team_roles))] = row.line
            mixed = reader.flag("mixed")
            positions = None
            if "positions" in table.headers:
                try:
                    positions = positions_parse(reader.text("positions"))
                except ValueError as error:
                    reader.error("positions", str(error))
            parsed.plan.team_roles.append(
                TeamRoleInput(
                    number=reader.number("number"),
                    name=reader.text("name"),
                    agency_kind=reader.choice("agency_kind", AgencyKind, default="" if mixed else None),
                    briefing=reader.text("briefing"),
                    tasks=reader.text("tasks"),
                    mixed=mixed,
                    planned_size=reader.number("planned_size", required=False),
                    positions=positions,
                )
            )
        elif record in _CELL_RECORDS:
            cells = parsed.plan.cell_roles = parsed.plan.cell_roles or []
            parsed.lines[("cell_roles", len(cells))] = row.line
            cells.append(CellRoleInput(name=reader.text("name").strip(), description=reader.text("description")))
        elif record == "inject":
            parsed.lines[("injects", len(parsed.plan.injects))] = row.line
            parsed.plan.injects.append(
                InjectInput(
                    number=reader.number("number"),
                    title=reader.text("title"),
                    body=reader.text("message"),
                    kind=reader.choice("kind", InjectKind, default=InjectKind.NEW_INFORMATION),
                    channel=reader.choice("channel", InjectChannel, default=InjectChannel.IN_PERSON),
                    sender=reader.text("sender"),
                    minute_offset=reader.number("minute_offset", required=False, minimum=0) or 0,
                    target_teams=reader.numbers("target_teams"),
                    expected_actions=reader.text("expected_actions"),
                    learning_objectives=reader.objectives("objectives", catalogue),
                    depends_on=reader.number("depends_on", required=False),
                )
            )
            inject_rows.append((reader, reader.text("phase").strip()))
        else:
            reader.error(
                "record",
                _("Unknown record “%(value)s”; use exercise, phase, team, cell or inject.")
                % {"value": excerpt(row.get("record"))},
            )

    _resolve_phases(parsed, phase_rows, inject_rows)
    _resolve_cell_roles(parsed, cell_roles)
    if not replacing and parsed.exercise_line is None:
        errors.append(MelError(None, "record", _("The file needs one exercise row (Record “exercise”).")))
    if replacing and parsed.exercise_line is not None:
        parsed.warnings.append(
            _("The exercise row was not applied: replacing keeps the exercise's own name and guide.")
        )
    return parsed


def _resolve_phases(
    parsed: MelParse, phase_rows: Sequence[tuple[_Reader, PhaseInput]], inject_rows: Sequence[tuple[_Reader, str]]
) -> None:
    """An inject names its phase (as exported), or gives its number."""
    by_name: dict[str, int | None] = {}
    for _reader, phase in phase_rows:
        by_name.setdefault(phase.name.strip().casefold(), phase.order)
    numbers = {phase.order for _reader, phase in phase_rows if phase.order is not None}
    for (reader, phase_cell), inject in zip(inject_rows, parsed.plan.injects, strict=True):
        if not phase_cell:
            continue
        folded = phase_cell.casefold()
        if folded in by_name:
            inject.phase = by_name[folded]
        elif _DIGITS.fullmatch(phase_cell) and int(phase_cell) in numbers:
            inject.phase = int(phase_cell)
        else:
            reader.error("phase", _("No phase is named “%(name)s”.") % {"name": excerpt(phase_cell)})


def _resolve_cell_roles(parsed: MelParse, existing: Iterable[str]) -> None:
    """A Sender that names a cell role (of the file, else of the exercise) is that cell role."""
    names = [c.name for c in parsed.plan.cell_roles] if parsed.plan.cell_roles is not None else list(existing)
    by_name = {name.strip().casefold(): name for name in names}
    for inject in parsed.plan.injects:
        name = by_name.get(inject.sender.strip().casefold())
        if name is not None and inject.sender.strip():
            inject.delivered_by, inject.sender = name, ""


def mel_match_ids(
    parsed: MelParse,
    *,
    phases: Mapping[int, int],
    team_roles: Mapping[int, int],
    injects: Mapping[int, int],
    cell_roles: Mapping[str, int] | None = None,
) -> None:
    """Replacing: rows keep the identity of the exercise's rows with the same number (runs use them).

    Each mapping goes from a number (a phase's order) to the id of the exercise's row; cell roles
    go by name (folded).
    """
    free_cells = {name.casefold(): pk for name, pk in (cell_roles or {}).items()}
    for cell in parsed.plan.cell_roles or []:
        cell.id = free_cells.pop(cell.name.strip().casefold(), None)
    free_phases, free_roles, free_injects = dict(phases), dict(team_roles), dict(injects)
    for phase in parsed.plan.phases:
        phase.id = free_phases.pop(phase.order, None) if phase.order is not None else None
    for role in parsed.plan.team_roles:
        role.id = free_roles.pop(role.number, None) if role.number is not None else None
    for inject in parsed.plan.injects:
        inject.id = free_injects.pop(inject.number, None) if inject.number is not None else None


def mel_slug_taken(parsed: MelParse) -> None:
    """The exported slug is a wish: a new exercise takes another when it is taken."""
    slug = parsed.exercise_fields.get("slug") or ""
    parsed.exercise_fields["slug"] = ""
    parsed.warnings.append(
        _("The slug “%(slug)s” is taken; the new exercise got one made from its name.") % {"slug": slug}
    )


def mel_errors_from(errors: Mapping[str, Sequence[str]], parsed: MelParse) -> list[MelError]:
    """The service's errors (keyed like ``injects[2].phase``) as MEL cells, leaving out cells already reported."""
    reported = {(e.line, e.column) for e in parsed.errors}
    found: list[MelError] = []
    for key, messages in errors.items():
        part, index, field_name = plan_error_location(key)
        if index is not None:
            line: int | None = parsed.lines.get((part, index))
            column = _COLUMN_OF.get(part, {}).get(field_name, field_name)
        elif part in ("phases", "team_roles", "injects", "cell_roles"):
            line, column = None, "name" if part == "cell_roles" else "number"
        else:
            line = parsed.exercise_line
            column = "" if key in ("__all__", "non_field_errors") else _COLUMN_OF["exercise"].get(key, key)
        if (line, column) in reported:
            continue
        found.extend(MelError(line, column, str(message)) for message in messages)
    return found
