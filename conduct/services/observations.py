"""The facilitators' observations: recorded by a run's staff, changed by their author only.

The phase (from the run's clock) and the time are filled in by the server. The team must be one of
the run's teams, the inject one of its exercise's, the objective one of the exercise's or the
course's; every refusal raises ``ApplicationError`` (with field errors) before anything is written.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.decorators import audited
from conduct.models import Observation
from conduct.selectors import run_clock
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, Inject, RunTeam
from trainings.models import LearningObjective

OBSERVATION_MAX_LENGTH = 2000
FIELDS = ("text", "rating", "team", "inject", "objective", "shareable")


def _checked(*, run: ExerciseRun, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` cleaned for ``run``, or every refusal at once as field errors."""
    errors: dict[str, list[str]] = {}
    text = str(values.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Write the observation.")]
    elif len(text) > OBSERVATION_MAX_LENGTH:
        errors["text"] = [_("At most %(limit)s characters.") % {"limit": OBSERVATION_MAX_LENGTH}]
    rating = values.get("rating")
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5):
        errors["rating"] = [_("A rating runs from 1 to 5.")]
    team: RunTeam | None = values.get("team")
    if team is not None and team.run_id != run.pk:
        errors["team"] = [_("The team belongs to another run.")]
    inject: Inject | None = values.get("inject")
    if inject is not None and inject.exercise_id != run.exercise_id:
        errors["inject"] = [_("The inject belongs to another exercise.")]
    objective: LearningObjective | None = values.get("objective")
    if objective is not None and objective.pk not in run_objective_ids(run=run):
        errors["objective"] = [_("The objective is not one of the exercise's or the course's.")]
    if errors:
        raise ApplicationError(field_errors=errors)
    return {**values, "text": text, "shareable": bool(values.get("shareable", False))}


def run_objective_ids(*, run: ExerciseRun) -> set[int]:
    """The objectives an observation of ``run`` may name: the exercise's and its cohort's course's."""
    named = Q(exercises=run.exercise_id) | Q(courses__cohorts=run.cohort_id)
    return set(LearningObjective.objects.filter(named).values_list("pk", flat=True))


@transaction.atomic
@audited("observation.create")
def observation_create(
    *,
    run: ExerciseRun,
    by: Any,
    text: str,
    rating: int | None = None,
    team: RunTeam | None = None,
    inject: Inject | None = None,
    objective: LearningObjective | None = None,
    shareable: bool = False,
    now: dt.datetime | None = None,
) -> Observation:
    """A note by one of the run's staff, at ``now`` in the clock's current phase (none before the start)."""
    if by is None or not by.has_perm("conduct.add_observation", run):
        raise ApplicationError(_("Only the run's facilitators and coordinators can record observations."))
    values = _checked(
        run=run,
        values={
            "text": text,
            "rating": rating,
            "team": team,
            "inject": inject,
            "objective": objective,
            "shareable": shareable,
        },
    )
    now = now or timezone.now()
    phase = run_clock(run=run, now=now).phase
    return Observation.objects.create(
        run=run, author=by, observed_at=now, phase_id=phase.id if phase else None, **values
    )


@transaction.atomic
@audited("observation.update", target="observation")
def observation_update(*, observation: Observation, by: Any, data: dict[str, Any]) -> Observation:
    """Change the fields given in ``data`` (any of FIELDS); only the author, while still on the run's staff."""
    locked = Observation.objects.select_for_update().select_related("run").get(pk=observation.pk)
    if by is None or not by.has_perm("conduct.change_observation", locked):
        raise ApplicationError(_("Only its author can change an observation."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    current = {name: getattr(locked, name) for name in FIELDS}
    values = _checked(run=locked.run, values={**current, **data})
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*FIELDS, "updated_at"])
    return locked
