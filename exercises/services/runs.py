"""Writes for exercise runs: planning a run for a cohort, and moving it between the cohort's sessions."""

import copy
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.services import Errors, merge_errors, model_apply, model_full_clean
from exercises.conflicts import SCHEDULE_CHECKS, STARTED_STATUSES
from exercises.models import Exercise, ExerciseRun, RunTeam
from trainings.conflicts import SessionPlan, session_plan_check, session_plan_lock
from trainings.models import Cohort, Session
from trainings.services import cohort_schedule_bump

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


def _lead_facilitator_errors(run: ExerciseRun) -> Errors:
    """The lead is one of the cohort's facilitators (whatever their role): the people who run its sessions."""
    lead = run.lead_facilitator
    if lead is None or run.cohort.facilitators.filter(pk=lead.pk).exists():
        return {}
    return {
        "lead_facilitator": [
            _("%(name)s is not one of this cohort's facilitators; add them to the cohort first.") % {"name": lead}
        ]
    }


def _started_run_move_errors(run: ExerciseRun, status: str) -> Errors:
    """A run that has begun keeps its session: its times are what happened (see started_run_cannot_move)."""
    if status not in STARTED_STATUSES:
        return {}
    return {
        "session": [
            _("“%(exercise)s” is already %(status)s: it cannot move to another session.")
            % {"exercise": run.exercise.name, "status": ExerciseRun.Status(status).label.lower()}
        ]
    }


def _cancelled_session_errors(run: ExerciseRun) -> Errors:
    if run.session is not None and run.session.status == Session.Status.CANCELLED:
        return {"session": [_("The session is cancelled; choose a scheduled one.")]}
    return {}


def _run_plan_check(run: ExerciseRun) -> None:
    """Refuse the run in its session on a hard conflict (its lead booked elsewhere, ...).

    Soft ones (the run is longer than the session) are saved; exercises.conflicts.run_warnings shows them.
    """
    if run.session is not None and run.session.status == Session.Status.SCHEDULED:
        session_plan_check(plan=SessionPlan.for_session(run.session, run=run, only_run=True), checks=SCHEDULE_CHECKS)


def _sessions_changed(*session_ids: int | None) -> None:
    """A session gaining or losing its run changes in calendars too: bump its iCalendar sequence."""
    ids = [pk for pk in session_ids if pk is not None]
    if ids:
        Session.objects.filter(pk__in=ids).update(sequence=F("sequence") + 1, updated_at=timezone.now())


# A run's calendar event has SEQUENCE = run.sequence + session.sequence (portal.calendars). Both
# counters only go up, so the sum only goes up while the run stays in its session: a session move or
# cancellation bumps the session's, a phase change bumps the run's. When the run changes session, the
# new session may have been edited less than the old one, so the run absorbs the old session's count:
# run.sequence += old session's sequence + 1, which makes the new sum larger than the old one whatever
# the new session's count. Calendar programs ignore an update whose SEQUENCE is not higher.


def _run_sequence_bump(run: ExerciseRun, *, left_session_id: int | None = None) -> None:
    left = 0
    if left_session_id is not None:
        left = Session.objects.filter(pk=left_session_id).values_list("sequence", flat=True).first() or 0
    run.sequence = F("sequence") + left + 1  # type: ignore[assignment]  # resolved by the database


def exercise_runs_rescheduled(*, exercise: Exercise) -> None:
    """The exercise's phases or length changed, so its runs end at another time: bump those not finished."""
    ExerciseRun.objects.filter(exercise=exercise).exclude(status=ExerciseRun.Status.FINISHED).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )


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
    errors = merge_errors(_session_errors(run), _cancelled_session_errors(run), _lead_facilitator_errors(run))
    model_full_clean(instance=run, errors=errors)
    _run_plan_check(run)
    run.save()
    _sessions_changed(run.session_id)
    cohort_schedule_bump(cohort_ids=[run.cohort_id])
    RunTeam.objects.bulk_create([RunTeam(run=run, team_role=role) for role in exercise.team_roles.all()])
    return run


@transaction.atomic
def exercise_run_update(*, run: ExerciseRun, data: Mapping[str, Any]) -> ExerciseRun:
    """Move a run to another session of its cohort or change its lead facilitator.

    The exercise and the cohort stay: the run's teams and memberships depend on them. A run that has
    started stays in its session. A lead is checked when it changes: a lead who has since left the
    cohort's facilitators stays on the run until someone else is chosen (the form offers them too).
    """
    target = data.get("session", run.session)
    if target is not None:
        # The schedule's locks come before any row lock (trainings.conflicts), or two writers could deadlock.
        planned = copy.copy(run)
        planned.session, planned.lead_facilitator = target, data.get("lead_facilitator", run.lead_facilitator)
        session_plan_lock(plan=SessionPlan.for_session(target, run=planned, only_run=True))
    # Locked: the status decides whether the run may move, and a run starting meanwhile must not.
    status = ExerciseRun.objects.select_for_update().filter(pk=run.pk).values_list("status", flat=True).get()
    previous_session_id = run.session_id
    changed = model_apply(instance=run, fields=RUN_FIELDS, data=data)
    errors = _session_errors(run)
    if "session" in changed:
        errors = merge_errors(errors, _started_run_move_errors(run, status), _cancelled_session_errors(run))
    if "lead_facilitator" in changed:
        errors = merge_errors(errors, _lead_facilitator_errors(run))
    model_full_clean(instance=run, errors=errors)
    if changed:
        _run_plan_check(run)
        # Its calendar event changes (time and place, or the lead it names).
        _run_sequence_bump(run, left_session_id=previous_session_id if "session" in changed else None)
        run.save(update_fields=[*changed, "sequence", "updated_at"])
        run.refresh_from_db(fields=["sequence"])
    if "session" in changed:
        _sessions_changed(previous_session_id, run.session_id)
    if changed:
        cohort_schedule_bump(cohort_ids=[run.cohort_id])
    return run
