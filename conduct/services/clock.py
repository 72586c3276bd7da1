"""The phase clock's transitions: start, advance, pause, resume, extend, finish.

Each locks the run's row first, then reads its state, so two facilitators pressing at once are
served one after the other: the second sees what the first did. Every refusal raises
``ApplicationError`` before anything is written. An advance names the phase the person saw
(``from_phase``): if the run has moved on since, it is refused with a message naming the current
phase, so a double press never skips a phase. The last phase is not advanced past: the run is finished.
A run may start before its teams are confirmed (the facilitators may form them in the first phase);
a run without phases cannot.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.decorators import audited
from conduct.clock import MAX_EXTENSION_MINUTES
from conduct.models import RunEvent
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, Phase, RunPhase
from exercises.services import run_live_bump
from trainings.services import cohort_schedule_bump

Status = ExerciseRun.Status


def _locked(*, run: ExerciseRun, by: Any) -> ExerciseRun:
    """The run's row, locked until the transaction ends, if ``by`` may work its clock."""
    if by is None or not by.has_perm("conduct.run_clock", run):
        raise ApplicationError(_("Only the run's facilitators and coordinators can work its clock."))
    return ExerciseRun.objects.select_for_update().get(pk=run.pk)


def _current_phase(run: ExerciseRun) -> Phase:
    event = (
        RunEvent.objects.filter(run=run, kind__in=[RunEvent.Kind.START, RunEvent.Kind.ADVANCE])
        .select_related("phase")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:  # a run marked running without a start event (e.g. set in the admin)
        raise ApplicationError(_("This run has no current phase: it was not started from the console."))
    return event.phase


def _record(*, run: ExerciseRun, kind: str, phase: Phase, by: Any, at: dt.datetime, minutes: int | None = None) -> None:
    RunEvent.objects.create(run=run, kind=kind, phase=phase, by=by, at=at, minutes=minutes)
    run_live_bump(run_id=run.pk)  # the team rooms show the phase and its clock


def _set_status(run: ExerciseRun, status: str, **fields: Any) -> None:
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields, "updated_at"])
    # The cohort page and agenda show the run's status from their cache.
    cohort_schedule_bump(cohort_ids=[run.cohort_id])


def _refuse_unless_live(run: ExerciseRun) -> None:
    if run.status == Status.PLANNED:
        raise ApplicationError(_("The run has not started yet."))
    if run.status in (Status.FINISHED, Status.CANCELLED):
        raise ApplicationError(_("The run is over: it was %(status)s.") % {"status": run.get_status_display()})


@transaction.atomic
@audited("run.start", target="run")
def run_start(*, run: ExerciseRun, by: Any, now: dt.datetime | None = None) -> ExerciseRun:
    """Start the run's first phase."""
    run = _locked(run=run, by=by)
    if run.status != Status.PLANNED:
        raise ApplicationError(
            _("Only a planned run can start; this one is %(status)s.") % {"status": run.get_status_display()}
        )
    first = Phase.objects.filter(exercise_id=run.exercise_id).order_by("order").first()
    if first is None:
        raise ApplicationError(_("The exercise has no phases: add them before starting the run."))
    now = now or timezone.now()
    _record(run=run, kind=RunEvent.Kind.START, phase=first, by=by, at=now)
    RunPhase.objects.update_or_create(run=run, phase=first, defaults={"started_at": now, "ended_at": None})
    _set_status(run, Status.RUNNING, started_at=now, ended_at=None)
    return run


@transaction.atomic
@audited("run.advance", target="run")
def run_advance(*, run: ExerciseRun, from_phase: int, by: Any, now: dt.datetime | None = None) -> ExerciseRun:
    """End the current phase and start the next, if ``from_phase`` is still the current one."""
    run = _locked(run=run, by=by)
    _refuse_unless_live(run)
    if run.status == Status.PAUSED:
        raise ApplicationError(_("The run is paused: resume it before moving to the next phase."))
    current = _current_phase(run)
    if current.pk != from_phase:
        raise ApplicationError(
            _("The run has already moved on: the current phase is “%(phase)s”. Nothing was changed.")
            % {"phase": current.name}
        )
    following = Phase.objects.filter(exercise_id=run.exercise_id, order__gt=current.order).order_by("order").first()
    if following is None:
        raise ApplicationError(_("“%(phase)s” is the last phase: finish the run instead.") % {"phase": current.name})
    now = now or timezone.now()
    RunPhase.objects.filter(run=run, phase=current).update(ended_at=now)
    RunPhase.objects.update_or_create(run=run, phase=following, defaults={"started_at": now, "ended_at": None})
    _record(run=run, kind=RunEvent.Kind.ADVANCE, phase=following, by=by, at=now)
    run.save(update_fields=["updated_at"])
    return run


@transaction.atomic
@audited("run.pause", target="run")
def run_pause(*, run: ExerciseRun, by: Any, now: dt.datetime | None = None) -> ExerciseRun:
    """Hold the clock: paused time does not count against the phase."""
    run = _locked(run=run, by=by)
    _refuse_unless_live(run)
    if run.status == Status.PAUSED:
        raise ApplicationError(_("The run is already paused."))
    _record(run=run, kind=RunEvent.Kind.PAUSE, phase=_current_phase(run), by=by, at=now or timezone.now())
    _set_status(run, Status.PAUSED)
    return run


@transaction.atomic
@audited("run.resume", target="run")
def run_resume(*, run: ExerciseRun, by: Any, now: dt.datetime | None = None) -> ExerciseRun:
    run = _locked(run=run, by=by)
    _refuse_unless_live(run)
    if run.status != Status.PAUSED:
        raise ApplicationError(_("The run is not paused."))
    _record(run=run, kind=RunEvent.Kind.RESUME, phase=_current_phase(run), by=by, at=now or timezone.now())
    _set_status(run, Status.RUNNING)
    return run


@transaction.atomic
@audited("run.extend", target="run")
def run_extend(*, run: ExerciseRun, minutes: int, by: Any, now: dt.datetime | None = None) -> ExerciseRun:
    """Give the current phase ``minutes`` more (running or paused)."""
    run = _locked(run=run, by=by)
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise ApplicationError(
            field_errors={
                "minutes": [_("Extend a phase by 1 to %(most)d minutes at a time.") % {"most": MAX_EXTENSION_MINUTES}]
            }
        )
    _refuse_unless_live(run)
    _record(
        run=run, kind=RunEvent.Kind.EXTEND, phase=_current_phase(run), by=by, at=now or timezone.now(), minutes=minutes
    )
    run.save(update_fields=["updated_at"])
    return run


@transaction.atomic
@audited("run.finish", target="run")
def run_finish(*, run: ExerciseRun, by: Any, now: dt.datetime | None = None) -> ExerciseRun:
    """End the current phase and the run (from running or paused)."""
    run = _locked(run=run, by=by)
    _refuse_unless_live(run)
    current = _current_phase(run)
    now = now or timezone.now()
    RunPhase.objects.filter(run=run, phase=current).update(ended_at=now)
    _record(run=run, kind=RunEvent.Kind.FINISH, phase=current, by=by, at=now)
    _set_status(run, Status.FINISHED, ended_at=now)
    return run
