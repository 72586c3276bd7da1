"""The master events list (MEL): a whole exercise as one spreadsheet, like the ones exercise planners
keep (HSEEP). One sheet (or CSV file), one row per record; the ``Record`` column says what a row is:
``exercise``, ``phase``, ``team`` or ``inject``. The README describes every column.

Export writes the exercise; import reads it back into the shapes of ``exercises.services`` and reports
every wrong cell by line and column. Reading, writing and file checks (size, encoding, BOM, delimiter,
formula neutralising) are ``core.tabular``'s.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.tabular import Row, table_read, table_response, table_write, unneutralise
from core.text import excerpt
from exercises.models import Exercise, Inject, Phase
from exercises.services import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput, plan_error_location
from trainings.models import AgencyKind, LearningObjective

# (key, header as exported). Import matches headers after core.tabular.normalise_header.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("record", "Record"),
    ("number", "Number"),
    ("phase", "Phase"),
    ("minute_offset", "Minute offset"),
    ("target_teams", "Target teams"),
    ("channel", "Channel"),
    ("kind", "Kind"),
    ("sender", "Sender"),
    ("title", "Title"),
    ("message", "Message"),
    ("expected_actions", "Expected actions"),
    ("objectives", "Objectives"),
    ("depends_on", "Depends on"),
    ("name", "Name"),
    ("minutes", "Minutes"),
    ("agency_kind", "Agency kind"),
    ("briefing", "Briefing"),
    ("tasks", "Tasks"),
    ("instructions", "Instructions"),
    ("slug", "Slug"),
    ("country", "Country"),
    ("aim", "Aim"),
    ("scenario", "Scenario"),
    ("materials", "Materials"),
    ("facilitator_guidelines", "Facilitator guidelines"),
    ("tips", "Tips"),
    ("online_variation", "Online variation"),
    ("debriefing_guidance", "Debriefing guidance"),
)
HEADERS = dict(COLUMNS)
REQUIRED = (
    "record",
    "number",
    "name",
    "kind",
    "minutes",
    "phase",
    "minute_offset",
    "target_teams",
    "channel",
    "title",
    "message",
    "expected_actions",
    "objectives",
    "depends_on",
    "agency_kind",
)
RECORDS = ("exercise", "phase", "team", "inject")
# The exercise's long texts travel in columns of their own, on the exercise row.
GUIDE_FIELDS = (
    "aim",
    "scenario",
    "materials",
    "facilitator_guidelines",
    "tips",
    "online_variation",
    "debriefing_guidance",
)
# Columns of several lines: tab and line breaks are text there, control characters elsewhere.
MULTILINE = ("message", "expected_actions", "briefing", "tasks", "instructions", *GUIDE_FIELDS)
_LIST_SEPARATORS = re.compile(r"[;,\s]+")
# ASCII digits only: int() also takes “٥”, “５” and “1_0”, and str.isdigit() is true for “²”.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_DIGITS = re.compile(r"[0-9]+")

# Service field names -> MEL columns, by part of the plan.
_COLUMN_OF = {
    "phases": {"order": "number", "id": "number", "planned_minutes": "minutes"},
    "team_roles": {"id": "number"},
    "injects": {"id": "number", "body": "message", "learning_objectives": "objectives"},
    "exercise": {"planned_minutes": "minutes", "learning_objectives": "objectives"},
}


@dataclass(frozen=True)
class MelError:
    line: int | None  # None: about the file as a whole (a missing row, numbers with gaps)
    column: str  # a key of COLUMNS, or "" for the row as a whole
    message: str

    @property
    def header(self) -> str:
        return HEADERS.get(self.column, self.column)

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("the file")
        if self.column:
            where = _("%(where)s, column “%(column)s”") % {"where": where, "column": self.header}
        return f"{where}: {self.message}"


class MelImportError(ApplicationError):
    """The file had wrong rows; nothing was saved. ``errors`` lists each wrong cell."""

    def __init__(self, *, errors: Sequence[MelError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.line or 0, _column_rank(e.column)))
        super().__init__(
            _("Nothing was imported: the file has %(count)s problem(s).") % {"count": len(self.errors)},
            field_errors={"file": [str(e) for e in self.errors]},
        )


@dataclass(frozen=True)
class MelImportResult:
    exercise: Exercise
    created: bool
    phases: int
    team_roles: int
    injects: int
    warnings: list[str]


@dataclass
class MelParse:
    exercise_fields: dict[str, Any]
    plan: ExercisePlan
    errors: list[MelError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    exercise_line: int | None = None
    lines: dict[tuple[str, int], int] = field(default_factory=dict)  # (part, index) -> line


def _column_rank(column: str) -> int:
    keys = [key for key, _header in COLUMNS]
    return keys.index(column) if column in keys else len(keys)


# --- export ----------------------------------------------------------------------------------


def _escape(value: str) -> str:
    """Text that already starts with ' before a formula character (or another ') gets one more ',
    so that import, which drops the ' that neutralising adds, gives the text back unchanged."""
    if value.startswith("''") or unneutralise(value) != value:
        return "'" + value
    return value


def _cell_in(value: str) -> str:
    if value.startswith("''"):
        return value[1:]
    return unneutralise(value)


def _codes(objectives: Iterable[LearningObjective]) -> str:
    return ";".join(o.code for o in sorted(objectives, key=lambda o: (o.order, o.code)))


def mel_rows(*, exercise: Exercise) -> list[list[Any]]:
    """The exercise as MEL rows (cells in COLUMNS order): the exercise, its phases, teams, injects."""
    phases = list(exercise.phases.order_by("order"))
    phase_name = {p.pk: p.name for p in phases}
    injects = (
        exercise.injects.select_related("depends_on")
        .prefetch_related("target_roles", "learning_objectives")
        .order_by("number")
    )
    records: list[dict[str, Any]] = [
        {
            "record": "exercise",
            "name": exercise.name,
            "kind": exercise.kind,
            "minutes": exercise.planned_minutes,
            "objectives": _codes(exercise.learning_objectives.all()),
            "slug": exercise.slug,
            "country": exercise.country,
            **{name: getattr(exercise, name) for name in GUIDE_FIELDS},
        }
    ]
    records += [
        {
            "record": "phase",
            "number": p.order,
            "name": p.name,
            "kind": p.kind,
            "minutes": p.planned_minutes,
            "instructions": p.instructions,
        }
        for p in phases
    ]
    records += [
        {
            "record": "team",
            "number": r.number,
            "name": r.name,
            "agency_kind": r.agency_kind,
            "briefing": r.briefing,
            "tasks": r.tasks,
        }
        for r in exercise.team_roles.order_by("number")
    ]
    records += [
        {
            "record": "inject",
            "number": i.number,
            "phase": phase_name.get(i.phase_id, "") if i.phase_id else "",
            "minute_offset": i.minute_offset,
            "target_teams": ";".join(str(n) for n in sorted(r.number for r in i.target_roles.all())),
            "channel": i.channel,
            "kind": i.kind,
            "sender": i.sender,
            "title": i.title,
            "message": i.body,
            "expected_actions": i.expected_actions,
            "objectives": _codes(i.learning_objectives.all()),
            "depends_on": i.depends_on.number if i.depends_on else "",
        }
        for i in injects
    ]
    return [
        [_escape(v) if isinstance(v, str) else v for v in (record.get(key, "") for key, _h in COLUMNS)]
        for record in records
    ]


def mel_export(*, exercise: Exercise, fmt: str) -> bytes:
    return table_write(headers=[h for _k, h in COLUMNS], rows=mel_rows(exercise=exercise), fmt=fmt)


def mel_response(*, exercise: Exercise, fmt: str) -> HttpResponse:
    return table_response(
        filename=f"{exercise.slug}-mel", headers=[h for _k, h in COLUMNS], rows=mel_rows(exercise=exercise), fmt=fmt
    )


# --- import ----------------------------------------------------------------------------------


class _Reader:
    """Reads one row's cells, recording each problem with its line and column."""

    def __init__(self, row: Row, errors: list[MelError]) -> None:
        self.row, self.errors = row, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(MelError(self.row.line, column, message))

    def text(self, column: str) -> str:
        return _cell_in(self.row.get(column))

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

    def choice(self, column: str, choices: type[models.TextChoices], *, default: str | None = None) -> str:
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

    def objectives(self, column: str, catalogue: Mapping[str, LearningObjective]) -> list[LearningObjective]:
        found = []
        for code in [t for t in _LIST_SEPARATORS.split(self.row.get(column).strip()) if t]:
            objective = catalogue.get(code) or catalogue.get(code.casefold())
            if objective is None:
                self.error(column, _("Unknown objective code “%(code)s”.") % {"code": excerpt(code)})
            elif objective not in found:
                found.append(objective)
        return found


def _catalogue(rows: Sequence[Row]) -> dict[str, LearningObjective]:
    codes = {t for row in rows for t in _LIST_SEPARATORS.split(row.get("objectives").strip()) if t}
    folded = {c.casefold() for c in codes}
    objectives = LearningObjective.objects.filter(code__in=codes | folded)
    catalogue = {o.code: o for o in objectives}
    catalogue.update({o.code.casefold(): o for o in objectives})
    return catalogue


def mel_parse(*, content: bytes, filename: str, exercise: Exercise | None = None) -> MelParse:
    """Read a MEL into an exercise's fields and plan. File-level problems raise ``core.tabular.TabularError``;
    row problems are collected in ``errors`` (the rows are still read as far as they can be, so the
    service can report the rest in the same answer).

    With ``exercise``, plan rows are matched to its rows by number, so replaced rows keep their identity.
    """
    table = table_read(content=content, filename=filename, required=REQUIRED, multiline=MULTILINE)
    parsed = MelParse(exercise_fields={}, plan=ExercisePlan())
    known = {key for key, _h in COLUMNS}
    ignored = [h for h in table.headers if h and h not in known]
    if ignored:
        parsed.warnings.append(
            _("Columns not in the format were ignored: %(columns)s.")
            % {"columns": ", ".join(excerpt(h, 40) for h in ignored)}
        )
    catalogue = _catalogue(table.rows)
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
            if exercise is not None:
                continue  # replacing a plan does not apply the exercise row (see _match_existing)
            parsed.exercise_fields = {
                "name": reader.text("name"),
                "kind": reader.choice("kind", Exercise.Kind, default=Exercise.Kind.SIMULATION),
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
                kind=reader.choice("kind", Phase.Kind, default=Phase.Kind.PLAY),
                planned_minutes=reader.number("minutes"),
                instructions=reader.text("instructions"),
            )
            parsed.lines[("phases", len(parsed.plan.phases))] = row.line
            parsed.plan.phases.append(phase)
            phase_rows.append((reader, phase))
        elif record == "team":
            parsed.lines[("team_roles", len(parsed.plan.team_roles))] = row.line
            parsed.plan.team_roles.append(
                TeamRoleInput(
                    number=reader.number("number"),
                    name=reader.text("name"),
                    agency_kind=reader.choice("agency_kind", AgencyKind),
                    briefing=reader.text("briefing"),
                    tasks=reader.text("tasks"),
                )
            )
        elif record == "inject":
            parsed.lines[("injects", len(parsed.plan.injects))] = row.line
            parsed.plan.injects.append(
                InjectInput(
                    number=reader.number("number"),
                    title=reader.text("title"),
                    body=reader.text("message"),
                    kind=reader.choice("kind", Inject.Kind, default=Inject.Kind.NEW_INFORMATION),
                    channel=reader.choice("channel", Inject.Channel, default=Inject.Channel.IN_PERSON),
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
                _("Unknown record “%(value)s”; use exercise, phase, team or inject.")
                % {"value": excerpt(row.get("record"))},
            )

    _resolve_phases(parsed, phase_rows, inject_rows)
    if exercise is None and parsed.exercise_line is None:
        errors.append(MelError(None, "record", _("The file needs one exercise row (Record “exercise”).")))
    if exercise is not None:
        _match_existing(parsed, exercise)
    if exercise is None:
        _free_slug(parsed)
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


def _match_existing(parsed: MelParse, exercise: Exercise) -> None:
    """Replacing: rows keep the identity of the exercise's rows with the same number (runs use them)."""
    phases = dict(exercise.phases.values_list("order", "pk"))
    roles = dict(exercise.team_roles.values_list("number", "pk"))
    injects = dict(exercise.injects.values_list("number", "pk"))
    for phase in parsed.plan.phases:
        phase.id = phases.pop(phase.order, None) if phase.order is not None else None
    for role in parsed.plan.team_roles:
        role.id = roles.pop(role.number, None) if role.number is not None else None
    for inject in parsed.plan.injects:
        inject.id = injects.pop(inject.number, None) if inject.number is not None else None
    if parsed.exercise_line is not None:
        parsed.warnings.append(
            _("The exercise row was not applied: replacing keeps the exercise's own name and guide.")
        )


def _free_slug(parsed: MelParse) -> None:
    """The exported slug is a wish: a new exercise takes another when it is taken."""
    slug = parsed.exercise_fields.get("slug") or ""
    if slug and Exercise.objects.filter(slug=slug).exists():
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
        elif part in ("phases", "team_roles", "injects"):
            line, column = None, "number"
        else:
            line = parsed.exercise_line
            column = "" if key in ("__all__", "non_field_errors") else _COLUMN_OF["exercise"].get(key, key)
        if (line, column) in reported:
            continue
        found.extend(MelError(line, column, str(message)) for message in messages)
    return found
