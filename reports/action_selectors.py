"""Reads of the improvement plan for its pages, its API, the reminders and the run report."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conduct.models import HotwashItem
from exercises.models import ExerciseRun
from participants.models import Enrolment
from reports.models import ImprovementAction, ImprovementActionQuerySet
from trainings.models import Agency

# The list's ?status= values beyond the statuses themselves.
STATUS_NOT_CLOSED = "not_closed"
STATUS_ALL = "all"


def item_agency_kind(item: HotwashItem) -> str:
    """A hot-wash point's agency kind: its own, or its team's (none for a mixed team)."""
    if item.agency_kind:
        return item.agency_kind
    if item.team is not None:
        return item.team.team_role.agency_kind
    return ""


def cohort_agencies(*, cohort_id: int) -> QuerySet[Agency]:
    """The agencies of the cohort's people (enrolments that were not withdrawn), by name."""
    return (
        Agency.objects.filter(
            participants__enrolments__cohort_id=cohort_id,
            participants__enrolments__status__in=Enrolment.ACCESS_STATUSES,
        )
        .distinct()
        .order_by("name", "pk")
    )


def action_queryset(*, user: Any) -> ImprovementActionQuerySet:
    """The actions the user sees, with what lists and details show, in one query."""
    return ImprovementAction.objects.visible_to(user).select_related(
        "cohort", "run__exercise", "agency", "contact", "objective", "hotwash_item"
    )


def action_list(*, user: Any, filters: Mapping[str, Any], today: dt.date | None = None) -> ImprovementActionQuerySet:
    """The user's actions filtered by ``agency``, ``cohort``, ``run`` (ids), ``status`` (a status,
    ``not_closed`` — the default — or ``all``) and ``overdue`` (true: due before today and still open)."""
    actions = action_queryset(user=user)
    for name in ("agency", "cohort", "run"):
        value = filters.get(name)
        if value:
            actions = actions.filter(**{f"{name}_id": value})
    status = filters.get("status") or STATUS_NOT_CLOSED
    if status == STATUS_NOT_CLOSED:
        actions = actions.not_closed()
    elif status != STATUS_ALL:
        actions = actions.filter(status=status)
    if filters.get("overdue"):
        actions = actions.not_closed().filter(due_date__lt=today or timezone.localdate())
    return actions.order_by("agency__name", "agency_id", "due_date", "pk")


@dataclass(frozen=True)
class AgencyGroup:
    agency: Agency | None  # None: the agency is still to be chosen
    actions: list[ImprovementAction]

    @property
    def label(self) -> str:
        return str(self.agency) if self.agency is not None else _("Agency to be chosen")


def actions_by_agency(actions: Any) -> list[AgencyGroup]:
    """The actions grouped by responsible agency, by agency name; those without one last."""
    groups: dict[int | None, list[ImprovementAction]] = {}
    agencies: dict[int | None, Agency | None] = {}
    for action in actions:
        groups.setdefault(action.agency_id, []).append(action)
        agencies[action.agency_id] = action.agency
    keys = sorted(groups, key=lambda key: (key is None, str(agencies[key]) if key is not None else ""))
    return [AgencyGroup(agency=agencies[key], actions=groups[key]) for key in keys]


def run_plan(*, run: ExerciseRun, user: Any) -> list[ImprovementAction]:
    """The run's actions, the earliest due first."""
    return list(action_queryset(user=user).filter(run=run).order_by("due_date", "pk"))


def run_improvement_areas(*, run: ExerciseRun) -> list[tuple[HotwashItem, bool]]:
    """The run's areas for improvement on its hot-wash board, each with whether an action was drafted from it."""
    items = list(
        HotwashItem.objects.filter(run=run, kind=HotwashItem.Kind.IMPROVEMENT)
        .select_related("team__team_role", "objective")
        .order_by("created_at", "pk")
    )
    drafted = set(
        ImprovementAction.objects.filter(run=run, hotwash_item__isnull=False).values_list("hotwash_item_id", flat=True)
    )
    return [(item, item.pk in drafted) for item in items]


def action_history(*, action: ImprovementAction) -> list[Any]:
    return list(action.events.select_related("by").order_by("at", "pk"))


# --- for the run report (reports.data, f-repdata) --------------------------------------------------


@dataclass(frozen=True)
class ImprovementRow:
    """One action of a run's improvement plan, as plain values for the report, its exports and its PDF."""

    id: int
    area: str
    action: str
    objective: str
    agency: str
    agency_kind: str
    contact: str
    due_date: dt.date
    status: str  # the status's value, e.g. "in_progress"
    status_label: str
    status_note: str
    completed_at: dt.datetime | None


def run_improvement_rows(*, run: ExerciseRun) -> list[ImprovementRow]:
    """The run's improvement plan for its report, in one query: every action, the earliest due first.

    No visibility filter: the report's caller decides who reads the report.
    """
    actions = (
        ImprovementAction.objects.filter(run=run)
        .select_related("agency", "contact", "objective")
        .order_by("due_date", "pk")
    )
    return [
        ImprovementRow(
            id=action.pk,
            area=action.area,
            action=action.action,
            objective=str(action.objective) if action.objective else "",
            agency=str(action.agency) if action.agency else "",
            agency_kind=action.agency.get_kind_display() if action.agency else "",
            contact=action.contact_label,
            due_date=action.due_date,
            status=action.status,
            status_label=action.get_status_display(),
            status_note=action.status_note,
            completed_at=action.completed_at,
        )
        for action in actions
    ]


EXPORT_HEADERS = (
    "id",
    "cohort",
    "run",
    "agency",
    "area",
    "action",
    "objective",
    "contact",
    "due_date",
    "status",
    "status_note",
    "completed_at",
)


def action_export_rows(actions: Any) -> list[list[Any]]:
    return [
        [
            action.pk,
            action.cohort.name,
            str(action.run.exercise) if action.run else "",
            str(action.agency) if action.agency else "",
            action.area,
            action.action,
            str(action.objective) if action.objective else "",
            action.contact_label,
            action.due_date.isoformat(),
            action.status,
            action.status_note,
            action.completed_at.isoformat() if action.completed_at else "",
        ]
        for action in actions
    ]
