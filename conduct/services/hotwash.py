"""The hot-wash board of a run's debriefing phase: strengths and areas for improvement, written by the
run's staff, each tagged to one of the run's teams or to an agency kind, and to an objective of the
exercise or the course. Authors change and remove their own points. Every refusal raises
``ApplicationError`` (with field errors) before anything is written.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.decorators import audited
from conduct.models import HotwashItem
from conduct.services.observations import run_objective_ids
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, RunTeam
from trainings.models import AgencyKind, LearningObjective

HOTWASH_MAX_LENGTH = 2000
HOTWASH_FIELDS = ("kind", "text", "team", "agency_kind", "objective")


def _checked(*, run: ExerciseRun, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` cleaned for ``run``, or every refusal at once as field errors."""
    errors: dict[str, list[str]] = {}
    kind = values.get("kind")
    if kind not in HotwashItem.Kind.values:
        errors["kind"] = [_("Choose a strength or an area for improvement.")]
    text = str(values.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Write the point.")]
    elif len(text) > HOTWASH_MAX_LENGTH:
        errors["text"] = [_("At most %(limit)s characters.") % {"limit": HOTWASH_MAX_LENGTH}]
    team: RunTeam | None = values.get("team")
    if team is not None and team.run_id != run.pk:
        errors["team"] = [_("The team belongs to another run.")]
    agency_kind = values.get("agency_kind") or ""
    if agency_kind and agency_kind not in AgencyKind.values:
        errors["agency_kind"] = [_("Choose one of the agency kinds.")]
    elif agency_kind and team is not None:
        errors["agency_kind"] = [_("Tag a team or an agency kind, not both.")]
    objective: LearningObjective | None = values.get("objective")
    if objective is not None and objective.pk not in run_objective_ids(run=run):
        errors["objective"] = [_("The objective is not one of the exercise's or the course's.")]
    if errors:
        raise ApplicationError(field_errors=errors)
    return {**values, "text": text, "agency_kind": agency_kind}


@transaction.atomic
@audited("hotwash_item.create")
def hotwash_item_create(
    *,
    run: ExerciseRun,
    by: Any,
    kind: str,
    text: str,
    team: RunTeam | None = None,
    agency_kind: str = "",
    objective: LearningObjective | None = None,
) -> HotwashItem:
    """A point on the run's board by one of its staff (``conduct.debrief_run``)."""
    if by is None or not by.has_perm("conduct.debrief_run", run):
        raise ApplicationError(_("Only the run's facilitators and coordinators can write on its hot-wash board."))
    values = _checked(
        run=run,
        values={"kind": kind, "text": text, "team": team, "agency_kind": agency_kind, "objective": objective},
    )
    return HotwashItem.objects.create(run=run, author=by, **values)


@transaction.atomic
@audited("hotwash_item.update", target="item")
def hotwash_item_update(*, item: HotwashItem, by: Any, data: dict[str, Any]) -> HotwashItem:
    """Change the fields given in ``data`` (any of HOTWASH_FIELDS); only the author, while on the run's staff."""
    locked = HotwashItem.objects.select_for_update().select_related("run").get(pk=item.pk)
    if by is None or not by.has_perm("conduct.change_hotwashitem", locked):
        raise ApplicationError(_("Only its author can change a point of the hot-wash board."))
    unknown = set(data) - set(HOTWASH_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    current = {name: getattr(locked, name) for name in HOTWASH_FIELDS}
    values = _checked(run=locked.run, values={**current, **data})
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*HOTWASH_FIELDS, "updated_at"])
    return locked


@transaction.atomic
@audited("hotwash_item.delete", target="item")
def hotwash_item_delete(*, item: HotwashItem, by: Any) -> None:
    """Remove a point; only its author, while on the run's staff."""
    # By pk alone: the model's ordering (by run) would outer-join the session, which FOR UPDATE refuses.
    locked = HotwashItem.objects.select_for_update().select_related("run").filter(pk=item.pk).order_by("pk").first()
    if locked is None:
        return  # already removed (a second press): nothing left to do
    if by is None or not by.has_perm("conduct.delete_hotwashitem", locked):
        raise ApplicationError(_("Only its author can remove a point of the hot-wash board."))
    locked.delete()
