"""An exercise written out as a master events list: the exercise, its phases, teams and injects."""

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from core.tabular import table_response, table_write
from exercises.mel.format import COLUMNS, GUIDE_FIELDS, cell_out
from exercises.models import Exercise
from trainings.models import LearningObjective


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
        [cell_out(v) if isinstance(v, str) else v for v in (record.get(key, "") for key, _h in COLUMNS)]
        for record in records
    ]


def mel_export(*, exercise: Exercise, fmt: str) -> bytes:
    return table_write(headers=[h for _k, h in COLUMNS], rows=mel_rows(exercise=exercise), fmt=fmt)


def mel_response(*, exercise: Exercise, fmt: str, delimiter: str = ",") -> HttpResponse:
    """The master events list as a download; ``delimiter`` separates CSV cells (the import reads either)."""
    return table_response(
        filename=f"{exercise.slug}-mel",
        headers=[h for _k, h in COLUMNS],
        rows=mel_rows(exercise=exercise),
        fmt=fmt,
        delimiter=delimiter,
    )
