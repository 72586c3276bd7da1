"""Writes for exercise runs. Exercise authoring (phases, roles, injects) comes with its own issue."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.services import Errors, model_apply, model_full_clean
from exercises.models import Exercise, ExerciseRun, RunTeam
from trainings.models import Cohort, Session

RUN_FIELDS = ("session", "lead_facilitator")


def _session_errors(run: ExerciseRun) -> Errors:
    session = run.session
    if session is None:
        return {}
    if session.cohort_id != run.cohort_id:
        return {"session": [_("The session belongs to another cohort.")]}
    taken = ExerciseRun.objects.filter(session=session).exclude(pk=run.pk).exists()
    if taken:
        return {"session": [_("This session already holds another exercise run.")]}
    return {}


@transaction.atomic
def exercise_run_create(
    *,
    exercise: Exercise,
    cohort: Cohort,
    session: Session | None = None,
    lead_facilitator: User | None = None,
) -> ExerciseRun:
    """Plan a run of an exercise for a cohort, with one team per team role of the exercise."""
    run = ExerciseRun(exercise=exercise, cohort=cohort, session=session, lead_facilitator=lead_facilitator)
    model_full_clean(instance=run, errors=_session_errors(run))
    run.save()
    RunTeam.objects.bulk_create([RunTeam(run=run, team_role=role) for role in exercise.team_roles.all()])
    return run


@transaction.atomic
def exercise_run_update(*, run: ExerciseRun, data: Mapping[str, Any]) -> ExerciseRun:
    """Move a run to another session of its cohort or change its lead facilitator.

    The exercise and the cohort stay: the run's teams and memberships depend on them.
    """
    changed = model_apply(instance=run, fields=RUN_FIELDS, data=data)
    model_full_clean(instance=run, errors=_session_errors(run))
    if changed:
        run.save(update_fields=[*changed, "updated_at"])
    return run
