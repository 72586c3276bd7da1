"""An exercise written out as a master events list: the exercise, its phases, teams and injects."""

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from core.tabular import table_response, table_write
from exercises.mel.format import COLUMNS, GUIDE_FIELDS, cell_out
from exercises.models import Exercise
from exercises.plans import PositionInput
from exercises.positions import positions_text
from trainings.models import LearningObjective


def _codes(objectives: Iterable[LearningObjective]) -> str:
    return ";".join(o.code for o in sorted(objectives, key=lambda o: (o.order, o.code)))


def mel_rows(*, exercise: Exercise) -> list[list[Any]]:
    """The exercise as MEL rows (cells in COLUMNS order): the exercise, its phases, teams, cell roles and
    injects. An inject's sender is the cell role that delivers it, when it names one; its attachments
    are listed by file name (the files themselves stay on the platform)."""
    phases = list(exercise.phases.order_by("order"))
    phase_name = {p.pk: p.name for p in phases}
    injects = (
        exercise.injects.select_related("depends_on", "delivered_by")
        .prefetch_related("target_roles", "learning_objectives", "attachments")
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
            "mixed": "yes" if r.mixed else "",
            "planned_size": r.planned_size if r.planned_size is not None else "",
            "positions": positions_text(
                PositionInput(name=p.name, agency_kind=p.agency_kind, seats=p.seats) for p in r.positions.all()
            ),
            "briefing": r.briefing,
            "tasks": r.tasks,
        }
        for r in exercise.team_roles.prefetch_related("positions").order_by("number")
    ]
    records += [
        {"record": "cell", "name": c.name, "description": c.description} for c in exercise.cell_roles.order_by("name")
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
            "sender": i.delivered_by.name if i.delivered_by else i.sender,
            "title": i.title,
            "message": i.body,
            "expected_actions": i.expected_actions,
            "objectives": _codes(i.learning_objectives.all()),
            "depends_on": i.depends_on.number if i.depends_on else "",
            "attachments": ";".join(a.file.name.rsplit("/", 1)[-1] for a in i.attachments.all()),
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
