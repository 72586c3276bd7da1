"""Writes for exercise runs: planning a run for a cohort, moving it between the cohort's sessions, and
placing its phases over several sessions (a run over two days)."""

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.services import Errors, merge_errors, model_apply, model_full_clean
from exercises.conflicts import SCHEDULE_CHECKS, STARTED_STATUSES
from exercises.models import Exercise, ExerciseRun, Phase, RunPhase, RunTeam
from trainings.conflicts import SessionPlan, session_plan_check, session_plan_lock
from trainings.models import Cohort, Session
from trainings.services import cohort_schedule_bump

RUN_FIELDS = ("session", "lead_facilitator")


def run_live_bump(*, run_id: int) -> None:
    """Add one to the run's ``live_version`` inside the caller's transaction. The team rooms and the cell
    room poll it, so every write that changes what they show calls this (conduct's releases, messages and
    clock; the cell's places)."""
    ExerciseRun.objects.filter(pk=run_id).update(live_version=F("live_version") + 1)


def _session_errors(run: ExerciseRun) -> Errors:
    session = run.session
    if session is None:
        return {}
    if session.cohort_id != run.cohort_id:
        return {"session": [_("The session belongs to another cohort.")]}
    taken = ExerciseRun.objects.filter(session=session).exclude(pk=run.pk).exists()
    placed = RunPhase.objects.filter(session=session).exclude(run_id=run.pk).exists()
    if taken or placed:
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
@audited("run.create")
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
@audited("run.update", target="run")
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
    if "session" in changed:
        # Its phases start again from the new session's start; the plan page places them anew.
        RunPhase.objects.filter(run=run).update(session=None, planned_start=None)
        run.__dict__.pop("placed_phases", None)
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


def _placement_errors(
    *, run: ExerciseRun, phases: list[Phase], rows: Sequence[Mapping[str, Any]], sessions: dict[int, Session]
) -> tuple[Errors, list[tuple[Phase, Session, dt.datetime]]]:
    """Every phase placed once, in a session of the run's cohort that holds no other run, with a start
    inside it, no earlier than the end of the phase before it. Errors under ``phases.<phase id>``."""
    errors: Errors = {}
    known = {phase.pk: phase for phase in phases}
    by_phase: dict[int, Mapping[str, Any]] = {}
    for row in rows:
        phase_id = getattr(row.get("phase"), "pk", row.get("phase"))
        if phase_id not in known:
            errors.setdefault("phases", []).append(
                _("%(phase)s is not a phase of this exercise.") % {"phase": phase_id}
            )
        elif phase_id in by_phase:
            errors.setdefault(f"phases.{phase_id}", []).append(_("This phase is placed twice."))
        else:
            by_phase[phase_id] = row
    others = {
        session_id: str(exercise)
        for session_id, exercise in ExerciseRun.objects.filter(session__in=list(sessions))
        .exclude(pk=run.pk)
        .values_list("session_id", "exercise__name")
    }
    others.update(
        RunPhase.objects.filter(session__in=list(sessions))
        .exclude(run=run)
        .values_list("session_id", "run__exercise__name")
    )
    placed: list[tuple[Phase, Session, dt.datetime]] = []
    previous_end: dt.datetime | None = None
    for position, phase in enumerate(phases, start=1):
        key = f"phases.{phase.pk}"
        wanted = by_phase.get(phase.pk)
        if wanted is None:
            if rows:  # none at all: back to the default
                errors.setdefault(key, []).append(_("Place phase %(number)d too.") % {"number": position})
            continue
        session_id = getattr(wanted.get("session"), "pk", wanted.get("session"))
        session = sessions.get(session_id) if session_id is not None else None
        start = wanted.get("planned_start")
        problems = []
        if session is None:
            problems.append(_("Choose a session of this run's cohort."))
        elif session.status == Session.Status.CANCELLED:
            problems.append(_("“%(title)s” is cancelled; choose a scheduled session.") % {"title": session.title})
        elif session.pk in others:
            problems.append(
                _("“%(title)s” already holds “%(exercise)s”.")
                % {"title": session.title, "exercise": others[session.pk]}
            )
        if not isinstance(start, dt.datetime) or timezone.is_naive(start):
            problems.append(_("Give the phase's start time."))
        elif session is not None and not session.starts_at <= start < session.ends_at:
            problems.append(_("The phase must start inside its session."))
        elif previous_end is not None and start < previous_end:
            problems.append(_("The phase cannot start before the phase before it ends."))
        if problems:
            errors.setdefault(key, []).extend(problems)
        if session is not None and isinstance(start, dt.datetime) and not timezone.is_naive(start):
            placed.append((phase, session, start))
            previous_end = start + dt.timedelta(minutes=phase.planned_minutes)
    return errors, placed


@transaction.atomic
@audited("run.phases_place", target="run")
def run_phases_place(*, run: ExerciseRun, placements: Sequence[Mapping[str, Any]], by: User | None) -> ExerciseRun:
    """Place every phase of the run in one of its cohort's sessions, with its planned start there.

    ``placements``: one ``{"phase", "session", "planned_start"}`` per phase (objects or ids). Empty: the
    run goes back to the default, its phases end to end from its session's start. Refused, with nothing
    written, for a phase missing or out of order, a start outside its session, a session of another
    cohort, cancelled, or holding another run, a run that has started, or someone who may not change
    the run. A phase ending after its session is saved: ``exercises.conflicts.run_warnings`` shows it.
    The run's ``session`` becomes the first phase's session.
    """
    if by is None or not by.has_perm("exercises.change_exerciserun", run):
        raise ApplicationError(_("Only coordinators can plan a run's phases."))
    session_ids = {getattr(row.get("session"), "pk", row.get("session")) for row in placements} - {None}
    sessions = {
        session.pk: session
        for session in Session.objects.filter(
            cohort_id=run.cohort_id, pk__in=[i for i in session_ids if type(i) is int]
        )
        .select_related("cohort")
        .order_by("starts_at")
    }
    for session in sessions.values():
        # The schedule's locks come before any row lock (trainings.conflicts): two runs placed into one
        # session at once check one after the other.
        session_plan_lock(plan=SessionPlan.for_session(session, run=run, only_run=True))
    status = ExerciseRun.objects.select_for_update().filter(pk=run.pk).values_list("status", flat=True).get()
    if status in STARTED_STATUSES:
        raise ApplicationError(
            _("“%(exercise)s” is already %(status)s: its phases keep their sessions.")
            % {"exercise": run.exercise.name, "status": ExerciseRun.Status(status).label.lower()}
        )
    phases = list(Phase.objects.filter(exercise_id=run.exercise_id).order_by("order"))
    errors, placed = _placement_errors(run=run, phases=phases, rows=placements, sessions=sessions)
    if errors:
        raise ApplicationError(_("The phases are not placed; nothing was saved."), field_errors=errors)
    before = set(RunPhase.objects.filter(run=run, session__isnull=False).values_list("session_id", flat=True))
    previous_session_id = run.session_id
    if placed:
        for phase, session, start in placed:
            RunPhase.objects.update_or_create(
                run=run, phase=phase, defaults={"session": session, "planned_start": start}
            )
        run.session = placed[0][1]
    else:
        RunPhase.objects.filter(run=run).update(session=None, planned_start=None)
    moved = run.session_id != previous_session_id
    _run_sequence_bump(run, left_session_id=previous_session_id if moved else None)
    run.save(update_fields=["session", "sequence", "updated_at"])
    run.refresh_from_db(fields=["sequence"])
    run.__dict__.pop("placed_phases", None)
    for session in {placed_session.pk: placed_session for _phase, placed_session, _start in placed}.values():
        if session.status == Session.Status.SCHEDULED:
            session_plan_check(plan=SessionPlan.for_session(session, run=run, only_run=True), checks=SCHEDULE_CHECKS)
    after = {session.pk for _phase, session, _start in placed}
    _sessions_changed(*(before ^ after), *({previous_session_id, run.session_id} if moved else set()))
    cohort_schedule_bump(cohort_ids=[run.cohort_id])
    return run


@transaction.atomic
@audited("run.phases_follow_session", target="session")
def run_phases_follow_session(*, session: Session, moved_by: dt.timedelta) -> None:
    """A session moved: the phases placed in it move with it, and their runs' calendar events change."""
    if not moved_by:
        return
    placed = RunPhase.objects.filter(session=session, planned_start__isnull=False)
    run_ids = list(placed.values_list("run_id", flat=True).distinct())
    placed.update(planned_start=F("planned_start") + moved_by)
    ExerciseRun.objects.filter(pk__in=run_ids).update(sequence=F("sequence") + 1, updated_at=timezone.now())
