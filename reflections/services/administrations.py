"""Giving a questionnaire to a cohort or one of its runs, and the due reminders that go with it.

The administration's times decide two ``Reminder`` rows: ``after_run`` (the run's end, or its session's,
plus ``remind_after_hours``; a cohort's: opening plus the hours) and ``before_close`` (a day before
closing, when that is after opening). Changing the times rewrites the reminders not yet sent.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.decorators import audited
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun
from reflections.models import Administration, Question, Questionnaire, Reminder
from trainings.models import Cohort

ADMINISTRATION_FIELDS = ("stage", "opens_at", "closes_at", "min_respondents", "remind_after_hours")
MAX_REMIND_AFTER_HOURS = 24 * 90


def _validate(administration: Administration) -> None:
    errors: dict[str, list[str]] = {}
    if administration.opens_at and administration.closes_at and administration.closes_at <= administration.opens_at:
        errors["closes_at"] = [_("A questionnaire closes after it opens.")]
    if administration.min_respondents is not None and administration.min_respondents < 2:
        errors["min_respondents"] = [_("Results need at least two respondents to stay anonymous.")]
    hours = administration.remind_after_hours
    if hours is not None and hours > MAX_REMIND_AFTER_HOURS:
        errors["remind_after_hours"] = [_("At most %(hours)s hours.") % {"hours": MAX_REMIND_AFTER_HOURS}]
    if errors:
        raise ApplicationError(field_errors=errors)
    try:
        administration.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ApplicationError.from_validation_error(error) from None


def _after_run_base(administration: Administration) -> dt.datetime:
    run = administration.run
    if run is not None:
        if run.ended_at:
            return run.ended_at
        if run.session_id and run.session is not None:
            return max(run.session.ends_at, administration.opens_at)
    return administration.opens_at


def reminders_due(*, administration: Administration) -> dict[str, dt.datetime]:
    """When each scheduled reminder of the administration is due (kinds without one are absent)."""
    due: dict[str, dt.datetime] = {}
    if administration.remind_after_hours is not None:
        at = _after_run_base(administration) + dt.timedelta(hours=administration.remind_after_hours)
        if at < administration.closes_at:
            due[Reminder.Kind.AFTER_RUN] = at
    before_close = administration.closes_at - dt.timedelta(days=1)
    if before_close > administration.opens_at:
        due[Reminder.Kind.BEFORE_CLOSE] = before_close
    return due


def _schedule_reminders(administration: Administration) -> None:
    """Bring the unsent scheduled reminders in line with the times; sent ones stay as they were."""
    due = reminders_due(administration=administration)
    existing = {r.kind: r for r in administration.reminders.exclude(kind=Reminder.Kind.NOW)}
    for kind in (Reminder.Kind.AFTER_RUN, Reminder.Kind.BEFORE_CLOSE):
        reminder = existing.get(kind)
        if reminder is not None and reminder.swept_at is not None:
            continue
        if kind not in due:
            if reminder is not None:
                reminder.delete()
        elif reminder is None:
            Reminder.objects.create(administration=administration, kind=kind, due_at=due[kind])
        elif reminder.due_at != due[kind]:
            reminder.due_at = due[kind]
            reminder.save(update_fields=["due_at"])


def _check_questionnaire(questionnaire: Questionnaire, by: Any) -> None:
    if not by.has_perm("reflections.view_questionnaire", questionnaire):
        raise ApplicationError(field_errors={"questionnaire": [_("Choose one of your questionnaires.")]})
    if not questionnaire.questions.exclude(kind=Question.Kind.SECTION).exists():
        raise ApplicationError(field_errors={"questionnaire": [_("This questionnaire has no questions yet.")]})


@transaction.atomic
@audited("administration.create")
def administration_create(
    *,
    by: Any,
    questionnaire: Questionnaire,
    cohort: Cohort | None = None,
    run: ExerciseRun | None = None,
    data: dict[str, Any],
) -> Administration:
    """Give ``questionnaire`` to ``cohort``, or to ``run`` (whose cohort it then belongs to)."""
    if run is not None:
        run = ExerciseRun.objects.select_for_update(of=("self",)).select_related("session").get(pk=run.pk)
        if cohort is not None and cohort.pk != run.cohort_id:
            raise ApplicationError(field_errors={"run": [_("This run belongs to another cohort.")]})
        cohort = run.cohort
    if cohort is None:
        raise ApplicationError(field_errors={"cohort": [_("Choose a cohort or a run.")]})
    if not by.has_perm("reflections.administer", run or cohort):
        raise ApplicationError(_("You may give questionnaires only to cohorts you facilitate."))
    _check_questionnaire(questionnaire, by)
    administration = Administration(
        questionnaire=questionnaire,
        cohort=cohort,
        run=run,
        created_by=by,
        **{k: v for k, v in data.items() if k in ADMINISTRATION_FIELDS},
    )
    _validate(administration)
    administration.save()
    _schedule_reminders(administration)
    return administration


def _locked(administration: Administration) -> Administration:
    # Only the administration's row: PostgreSQL locks no row on the nullable side of an outer join.
    return (
        Administration.objects.select_for_update(of=("self",)).select_related("run__session").get(pk=administration.pk)
    )


@transaction.atomic
@audited("administration.update", target="administration")
def administration_update(*, administration: Administration, by: Any, data: dict[str, Any]) -> Administration:
    """Change times, stage, threshold or reminder delay; the questionnaire and where it is given stay."""
    administration = _locked(administration)
    if not by.has_perm("reflections.change_administration", administration):
        raise ApplicationError(_("You may not change this questionnaire's administration."))
    changes = {k: v for k, v in data.items() if k in ADMINISTRATION_FIELDS}
    has_responses = administration.responses.exists()
    if has_responses and "stage" in changes and changes["stage"] != administration.stage:
        raise ApplicationError(field_errors={"stage": [_("People have answered; the stage cannot change now.")]})
    for name, value in changes.items():
        setattr(administration, name, value)
    _validate(administration)
    administration.save()
    _schedule_reminders(administration)
    return administration


@transaction.atomic
@audited("administration.close", target="administration")
def administration_close(*, administration: Administration, by: Any) -> Administration:
    """Close it now: no more answers, and no reminders left to send."""
    administration = _locked(administration)
    if not by.has_perm("reflections.change_administration", administration):
        raise ApplicationError(_("You may not change this questionnaire's administration."))
    now = timezone.now()
    if administration.closes_at <= now:
        raise ApplicationError(_("This questionnaire is already closed."))
    if administration.opens_at >= now:
        raise ApplicationError(_("This questionnaire has not opened yet; delete it or change its times instead."))
    administration.closes_at = now
    administration.save(update_fields=["closes_at", "updated_at"])
    administration.reminders.filter(swept_at__isnull=True).delete()
    return administration


@transaction.atomic
@audited("administration.delete", target="administration")
def administration_delete(*, administration: Administration, by: Any) -> None:
    administration = _locked(administration)
    if not by.has_perm("reflections.delete_administration", administration):
        raise ApplicationError(_("You may not change this questionnaire's administration."))
    if administration.responses.exists() or administration.completions.exists():
        raise ApplicationError(_("People have answered this questionnaire; close it instead of deleting it."))
    administration.delete()
