"""Importing a master events list: a new exercise, or a new plan for one (all rows or nothing)."""

from django.db import transaction

from audit.decorators import audited
from core.exceptions import ApplicationError
from exercises.mel.format import MelImportError, MelImportResult
from exercises.mel.parse import ObjectiveCatalogue, mel_errors_from, mel_match_ids, mel_parse, mel_slug_taken
from exercises.models import Exercise
from exercises.services.exercises import exercise_create, exercise_update
from exercises.services.plans import exercise_plan_errors
from trainings.models import LearningObjective


class _Rollback(Exception):
    """Leaves the import's savepoint without keeping anything."""


@transaction.atomic
@audited("exercise.mel_import", target="exercise")
def exercise_mel_import(
    *, content: bytes, filename: str, exercise: Exercise | None = None, size: int | None = None
) -> MelImportResult:
    """Import a master events list (see exercises.mel and the README).

    Without ``exercise`` the file becomes a new exercise; with it, the file replaces the exercise's
    phases, team roles and injects (matched by number, so runs keep their teams). All rows or
    nothing: any problem raises ``MelImportError`` listing every wrong cell by line and column; a
    file that cannot be read at all raises ``core.tabular.TabularError``. ``size`` is the upload's
    real size, for its message when it is over the limit.
    """
    catalogue = ObjectiveCatalogue(LearningObjective.objects.order_by("order", "code"))
    cell_roles = dict(exercise.cell_roles.values_list("name", "pk")) if exercise is not None else {}
    parsed = mel_parse(
        content=content,
        filename=filename,
        catalogue=catalogue,
        replacing=exercise is not None,
        size=size,
        cell_roles=cell_roles,
    )
    if exercise is not None:
        mel_match_ids(
            parsed,
            phases=dict(exercise.phases.values_list("order", "pk")),
            team_roles=dict(exercise.team_roles.values_list("number", "pk")),
            injects=dict(exercise.injects.values_list("number", "pk")),
            cell_roles=cell_roles,
        )
    else:
        slug = parsed.exercise_fields.get("slug")
        if slug and Exercise.objects.filter(slug=slug).exists():
            mel_slug_taken(parsed)
    errors = list(parsed.errors)
    result: Exercise | None = None
    try:
        with transaction.atomic():
            try:
                if exercise is not None:
                    result = exercise_update(exercise=exercise, data={}, plan=parsed.plan)
                elif parsed.exercise_line is not None:
                    result = exercise_create(**parsed.exercise_fields, plan=parsed.plan)
                else:  # no exercise row (already reported): still check the plan, for one full report
                    errors.extend(mel_errors_from(exercise_plan_errors(exercise=None, plan=parsed.plan), parsed))
            except ApplicationError as exc:
                errors.extend(mel_errors_from(exc.message_dict, parsed))
            if errors:
                raise _Rollback
    except _Rollback:
        if exercise is not None:
            exercise.refresh_from_db()
        raise MelImportError(errors=errors) from None
    assert result is not None  # the savepoint either saved an exercise or raised
    return MelImportResult(
        exercise=result,
        created=exercise is None,
        phases=len(parsed.plan.phases),
        team_roles=len(parsed.plan.team_roles),
        injects=len(parsed.plan.injects),
        warnings=parsed.warnings,
    )
