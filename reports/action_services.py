"""Writes of the improvement plan: drafting actions from a run's areas for improvement, adding, changing,
removing them, status updates by their owners, and the reminders that follow open actions.

Every refusal raises ``ApplicationError`` (with field errors) before anything is written. Who may: the
rules of ``reports.rules``; the services ask them again, so the API and the pages cannot differ.

Reminders: three ``ActionReminder`` rows are written with each action, 30, 60 and 90 days after it was
written (not after the run's end: a cohort-level action has no run, and an action drafted weeks after the
course still deserves its first month). Beat sweeps the due rows daily (``action_reminders_send_due``).
"""

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from accounts.models import User
from audit.decorators import audited
from conduct.models import HotwashItem
from core.exceptions import ApplicationError
from core.mail import send_once, single_line
from core.outbox import queue_on_commit
from core.text import normalise_email
from exercises.models import ExerciseRun
from reports.action_selectors import cohort_agencies, item_agency_kind
from reports.models import REMINDER_DAYS, ActionReminder, ImprovementAction, ImprovementActionEvent
from trainings.models import Agency, Cohort, LearningObjective

TEXT_MAX_LENGTH = 2000
# A drafted action is due this many days after drafting, until the facilitator sets its date.
DRAFT_DUE_DAYS = 90
# Reminder rows taken per sweep; the next sweep takes the rest.
SWEEP_BATCH = 200

# What the staff may write; an action's contact changes only its status and note.
EDIT_FIELDS = (
    "area",
    "action",
    "agency",
    "objective",
    "contact",
    "contact_name",
    "contact_email",
    "due_date",
    "status",
    "status_note",
)
OWNER_FIELDS = ("status", "status_note")
Status = ImprovementAction.Status


def _text(values: dict[str, Any], name: str, errors: dict[str, list[str]], *, required: bool) -> str:
    text = str(values.get(name) or "").strip()
    if required and not text:
        errors[name] = [_("This field is required.")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors[name] = [_("At most %(limit)s characters.") % {"limit": TEXT_MAX_LENGTH}]
    return text


def _checked(*, cohort: Cohort, run: ExerciseRun | None, values: dict[str, Any]) -> dict[str, Any]:
    """The action's fields cleaned for ``cohort``/``run``, or every refusal at once as field errors."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {
        "area": _text(values, "area", errors, required=True),
        "action": _text(values, "action", errors, required=False),
        "status_note": _text(values, "status_note", errors, required=False),
        "contact_name": _text(values, "contact_name", errors, required=False)[:200],
    }
    email = str(values.get("contact_email") or "").strip()
    if email:
        try:
            email = normalise_email(email)
        except ValidationError as error:
            errors["contact_email"] = list(error.messages)
    clean["contact_email"] = email
    due_date = values.get("due_date")
    if not isinstance(due_date, dt.date):
        errors["due_date"] = [_("Give the date the action is due.")]
    clean["due_date"] = due_date
    status = values.get("status") or Status.OPEN
    if status not in Status.values:
        errors["status"] = [_("Choose one of the statuses.")]
    clean["status"] = status
    agency = values.get("agency")
    if agency is not None and not isinstance(agency, Agency):
        errors["agency"] = [_("Choose one of the agencies.")]
    clean["agency"] = agency
    objective = values.get("objective")
    if objective is not None and not isinstance(objective, LearningObjective):
        errors["objective"] = [_("Choose one of the objectives.")]
    clean["objective"] = objective
    contact = values.get("contact")
    if contact is not None and not (isinstance(contact, User) and contact.is_active):
        errors["contact"] = [_("The contact must be an active account.")]
    clean["contact"] = contact
    item = values.get("hotwash_item")
    if item is not None and (run is None or item.run_id != run.pk or item.kind != HotwashItem.Kind.IMPROVEMENT):
        errors["hotwash_item"] = [_("Choose an area for improvement from this run's hot-wash board.")]
    clean["hotwash_item"] = item
    if errors:
        raise ApplicationError(field_errors=errors)
    return clean


def _cohort_of(*, cohort: Cohort | None, run: ExerciseRun | None) -> Cohort:
    if run is not None:
        if cohort is not None and cohort.pk != run.cohort_id:
            raise ApplicationError(field_errors={"cohort": [_("The run belongs to another cohort.")]})
        return run.cohort
    if cohort is None:
        raise ApplicationError(field_errors={"cohort": [_("Name the cohort (or the run) the action belongs to.")]})
    return cohort


def _may_plan(by: Any, target: Cohort | ExerciseRun) -> None:
    if not by.has_perm("reports.plan_improvements", target):
        raise ApplicationError(_("Only the cohort's facilitators and coordinators can write its improvement plan."))


def _record(action: ImprovementAction, *, by: Any, from_status: str, at: dt.datetime) -> None:
    ImprovementActionEvent.objects.create(
        action=action, at=at, by=by, from_status=from_status, to_status=action.status, note=action.status_note
    )


def _reminders_write(action: ImprovementAction) -> None:
    ActionReminder.objects.bulk_create(
        [
            ActionReminder(action=action, days=days, due_at=action.created_at + dt.timedelta(days=days))
            for days in REMINDER_DAYS
        ],
        ignore_conflicts=True,
    )


def _completed_at(status: str, previous: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    if status != Status.DONE:
        return None
    return previous or now


@transaction.atomic
@audited("improvement_action.create")
def improvement_action_create(
    *,
    by: Any,
    cohort: Cohort | None = None,
    run: ExerciseRun | None = None,
    **values: Any,
) -> ImprovementAction:
    """Add an action to a cohort's (or a run's) improvement plan, with its reminders."""
    cohort = _cohort_of(cohort=cohort, run=run)
    _may_plan(by, run or cohort)
    clean = _checked(cohort=cohort, run=run, values=values)
    now = timezone.now()
    action = ImprovementAction(
        cohort=cohort, run=run, created_by=by, completed_at=_completed_at(clean["status"], None, now), **clean
    )
    action.full_clean()
    action.save()
    _record(action, by=by, from_status="", at=now)
    _reminders_write(action)
    return action


@transaction.atomic
@audited("improvement_actions.draft", target="run")
def improvement_actions_draft(
    *, run: ExerciseRun, items: Iterable[HotwashItem], by: Any, today: dt.date | None = None
) -> list[ImprovementAction]:
    """One open action per chosen area for improvement of the run's hot-wash board, pre-filled: the area
    is the point's text, its objective the point's, and the agency the cohort's only agency of the point's
    agency kind (the team's kind when the point names a team); left to choose when there is none or several.

    A point drafted already is not drafted again. Refused (nothing written) for another run's point or a
    strength.
    """
    _may_plan(by, run)
    items = list(items)
    wrong = [item for item in items if item.run_id != run.pk or item.kind != HotwashItem.Kind.IMPROVEMENT]
    if wrong:
        raise ApplicationError(field_errors={"items": [_("Choose areas for improvement from this run's board.")]})
    if not items:
        raise ApplicationError(field_errors={"items": [_("Choose at least one area for improvement.")]})
    # Two facilitators drafting at once: the run's row orders them, so each point is drafted once.
    list(ExerciseRun.objects.select_for_update().filter(pk=run.pk).order_by().values_list("pk", flat=True))
    done = set(
        ImprovementAction.objects.filter(run=run, hotwash_item__in=items).values_list("hotwash_item_id", flat=True)
    )
    by_kind: dict[str, list[Agency]] = {}
    for agency in cohort_agencies(cohort_id=run.cohort_id):
        by_kind.setdefault(agency.kind, []).append(agency)
    due = (today or timezone.localdate()) + dt.timedelta(days=DRAFT_DUE_DAYS)
    drafted = []
    for item in items:
        if item.pk in done:
            continue
        done.add(item.pk)
        candidates = by_kind.get(item_agency_kind(item), [])
        drafted.append(
            improvement_action_create(
                by=by,
                run=run,
                area=item.text,
                hotwash_item=item,
                objective=item.objective,
                agency=candidates[0] if len(candidates) == 1 else None,
                due_date=due,
            )
        )
    return drafted


@transaction.atomic
@audited("improvement_action.update", target="action")
def improvement_action_update(*, action: ImprovementAction, by: Any, data: dict[str, Any]) -> ImprovementAction:
    """Change an action (the cohort's staff). A status change is recorded in its history."""
    if not by.has_perm("reports.change_improvementaction", action):
        raise ApplicationError(_("Only the cohort's facilitators and coordinators can change this action."))
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    current = {name: getattr(action, name) for name in EDIT_FIELDS}
    current["hotwash_item"] = action.hotwash_item
    unknown = set(data) - set(EDIT_FIELDS)
    if unknown:
        raise ApplicationError(field_errors={name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    clean = _checked(cohort=action.cohort, run=action.run, values={**current, **data})
    clean.pop("hotwash_item")
    return _save(action, by=by, clean=clean)


@transaction.atomic
@audited("improvement_action.status_update", target="action")
def improvement_action_status_update(
    *, action: ImprovementAction, by: Any, status: str, note: str | None = None
) -> ImprovementAction:
    """The status (and its note) of an action, by its contact or the cohort's staff. Cancelling is the staff's."""
    if not by.has_perm("reports.update_improvementaction_status", action):
        raise ApplicationError(_("Only the action's contact and the cohort's staff can update its status."))
    if status not in Status.values:
        raise ApplicationError(field_errors={"status": [_("Choose one of the statuses.")]})
    staff = by.has_perm("reports.change_improvementaction", action)
    if status == Status.CANCELLED and not staff:
        raise ApplicationError(field_errors={"status": [_("Only the cohort's staff can cancel an action.")]})
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if action.status == Status.CANCELLED and not staff:
        raise ApplicationError(field_errors={"status": [_("This action was cancelled; ask the cohort's staff.")]})
    errors: dict[str, list[str]] = {}
    values = {"status_note": action.status_note if note is None else note}
    clean = {"status": status, "status_note": _text(values, "status_note", errors, required=False)}
    if errors:
        raise ApplicationError(field_errors=errors)
    return _save(action, by=by, clean=clean)


def _save(action: ImprovementAction, *, by: Any, clean: dict[str, Any]) -> ImprovementAction:
    now = timezone.now()
    before = action.status
    before_note = action.status_note
    for name, value in clean.items():
        setattr(action, name, value)
    action.completed_at = _completed_at(action.status, action.completed_at if before == Status.DONE else None, now)
    action.full_clean()
    action.save(update_fields=[*clean, "completed_at", "updated_at"])
    if action.status != before or action.status_note != before_note:
        _record(action, by=by, from_status=before, at=now)
    return action


@transaction.atomic
@audited("improvement_action.delete", target="action")
def improvement_action_delete(*, action: ImprovementAction, by: Any) -> None:
    """Remove an action written by mistake (the cohort's staff); one that was followed up is cancelled instead."""
    if not by.has_perm("reports.delete_improvementaction", action):
        raise ApplicationError(_("Only the cohort's facilitators and coordinators can remove this action."))
    action.delete()


# --- reminders -------------------------------------------------------------------------------------


@transaction.atomic
@audited("action_reminders.send_due")
def action_reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Sweep the reminders due by ``now``; the number queued.

    Rows are taken with ``SKIP LOCKED`` (two sweeps never take the same one). An action still open gets
    the e-mail of its latest due milestone only (a sweep that missed days does not send 30 and 60 at once);
    a done or cancelled action's rows are swept without one.
    """
    now = now or timezone.now()
    due = list(
        ActionReminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(swept_at__isnull=True, due_at__lte=now)
        .select_related("action")
        .order_by("due_at", "pk")[:SWEEP_BATCH]
    )
    latest: dict[int, ActionReminder] = {}
    for reminder in due:
        if reminder.action.is_open and (
            reminder.action_id not in latest or latest[reminder.action_id].days < reminder.days
        ):
            latest[reminder.action_id] = reminder
    sending = {reminder.pk for reminder in latest.values()}
    ActionReminder.objects.filter(pk__in=[r.pk for r in due]).update(swept_at=now)
    ActionReminder.objects.filter(pk__in=sending).update(sent=True)
    from reports.tasks import action_reminder_email_task  # the task module imports this one

    for pk in sorted(sending):
        queue_on_commit(action_reminder_email_task, pk, dedupe_key=f"action-reminder:{pk}")
    return len(sending)


def action_reminder_recipients(*, action: ImprovementAction) -> list[Any]:
    """The action's contact when they have an account, otherwise the cohort's named coordinators (its
    author when it has none)."""
    if action.contact is not None and action.contact.is_active:
        return [action.contact]
    coordinators = list(action.cohort.coordinators.filter(is_active=True).order_by("pk"))
    if coordinators:
        return coordinators
    return [action.created_by] if action.created_by is not None and action.created_by.is_active else []


def action_reminder_email(*, reminder_id: int) -> int:
    """E-mail a swept reminder to its recipients, each once; nothing when the action was closed meanwhile."""
    reminder = (
        ActionReminder.objects.filter(pk=reminder_id, sent=True)
        .select_related("action__cohort", "action__agency", "action__contact", "action__created_by")
        .first()
    )
    if reminder is None or not reminder.action.is_open:
        return 0
    return sum(
        send_once(
            key=("action-reminder", reminder.pk, person.pk),
            send=partial(_send, reminder=reminder, person=person),
        )
        for person in action_reminder_recipients(action=reminder.action)
    )


def _send(*, reminder: ActionReminder, person: Any) -> bool:
    action = reminder.action
    url = settings.SITE_URL.rstrip("/") + reverse("reports_actions:action_detail", kwargs={"pk": action.pk})
    with translation.override(user_language(person)), timezone.override(action.cohort.tz):
        title = _("Improvement action due %(date)s: %(area)s") % {"date": action.due_date, "area": action}
        subject = single_line(title)
        body = render_to_string(
            "emails/improvement_action_reminder.txt",
            {"name": str(person), "action": action, "days": reminder.days, "url": url},
        )
    EmailMessage(subject=subject, body=body, to=[person.email]).send()
    return True
