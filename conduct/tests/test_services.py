"""The clock's transitions (conduct.services): each one, and each refusal, which changes nothing."""

import datetime as dt

import pytest

from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.models import RunEvent
from conduct.selectors import run_clock
from conduct.tests.helpers import clock_run
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, RunPhase
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)
Status = ExerciseRun.Status


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _state(run: ExerciseRun) -> tuple:
    run = ExerciseRun.objects.get(pk=run.pk)
    return (
        run.status,
        run.started_at,
        run.ended_at,
        list(RunEvent.objects.filter(run=run).values_list("kind", "phase_id", "minutes")),
        list(RunPhase.objects.filter(run=run).values_list("phase_id", "started_at", "ended_at")),
    )


def _refused(call, run: ExerciseRun, message: str) -> None:
    before = _state(run)
    with pytest.raises(ApplicationError, match=message):
        call()
    assert _state(run) == before


def test_a_whole_run_start_advance_pause_resume_extend_finish():
    run, (one, two, three), by = clock_run()
    services.run_start(run=run, by=by, now=at(0))
    services.run_advance(run=run, from_phase=one.pk, by=by, now=at(12))
    services.run_pause(run=run, by=by, now=at(20))
    assert ExerciseRun.objects.get(pk=run.pk).status == Status.PAUSED
    services.run_extend(run=run, minutes=5, by=by, now=at(22))
    services.run_resume(run=run, by=by, now=at(30))
    services.run_advance(run=run, from_phase=two.pk, by=by, now=at(40))
    services.run_finish(run=run, by=by, now=at(55))

    status, started_at, ended_at, events, phases = _state(run)
    assert (status, started_at, ended_at) == (Status.FINISHED, at(0), at(55))
    assert events == [
        ("start", one.pk, None),
        ("advance", two.pk, None),
        ("pause", two.pk, None),
        ("extend", two.pk, 5),
        ("resume", two.pk, None),
        ("advance", three.pk, None),
        ("finish", three.pk, None),
    ]
    assert phases == [(one.pk, at(0), at(12)), (two.pk, at(12), at(40)), (three.pk, at(40), at(55))]
    assert RunEvent.objects.filter(run=run, by=by).count() == 7


def test_the_clock_read_back_from_the_database_matches_the_hand_computed_figures():
    run, (one, two, _three), by = clock_run()
    services.run_start(run=run, by=by, now=at(0))
    services.run_advance(run=run, from_phase=one.pk, by=by, now=at(10))
    services.run_pause(run=run, by=by, now=at(15))
    services.run_resume(run=run, by=by, now=at(18))
    services.run_extend(run=run, minutes=5, by=by, now=at(20))
    clock = run_clock(run=ExerciseRun.objects.get(pk=run.pk), now=at(40))
    # Phase 2 (20 planned + 5): 30 minutes since its start, 3 paused: 27 of 25, 2 over.
    assert (clock.phase.id, clock.status) == (two.pk, Status.RUNNING)
    assert (clock.elapsed_seconds, clock.planned_seconds, clock.overrun_seconds) == (27 * 60, 25 * 60, 2 * 60)


def test_a_run_may_start_before_its_teams_are_confirmed():
    run, _phases, by = clock_run()
    assert run.teams_confirmed_at is None
    services.run_start(run=run, by=by, now=at(0))
    assert ExerciseRun.objects.get(pk=run.pk).status == Status.RUNNING


@pytest.mark.parametrize("status", [Status.RUNNING, Status.PAUSED, Status.FINISHED, Status.CANCELLED])
def test_only_a_planned_run_starts(status):
    run, _phases, by = clock_run()
    ExerciseRun.objects.filter(pk=run.pk).update(status=status)
    _refused(lambda: services.run_start(run=run, by=by), run, "Only a planned run can start")


def test_a_run_without_phases_cannot_start():
    run, _phases, by = clock_run(phases=0)
    _refused(lambda: services.run_start(run=run, by=by), run, "no phases")


def test_advancing_from_a_phase_no_longer_current_is_refused_naming_the_current_one():
    run, (one, _two, _three), by = clock_run()
    services.run_start(run=run, by=by, now=at(0))
    services.run_advance(run=run, from_phase=one.pk, by=by, now=at(5))
    _refused(lambda: services.run_advance(run=run, from_phase=one.pk, by=by), run, "already moved on.*Phase 2")


def test_advancing_a_paused_a_planned_or_a_finished_run_or_past_the_last_phase_is_refused():
    run, (one, two, three), by = clock_run()
    _refused(lambda: services.run_advance(run=run, from_phase=one.pk, by=by), run, "not started")
    services.run_start(run=run, by=by, now=at(0))
    services.run_pause(run=run, by=by, now=at(1))
    _refused(lambda: services.run_advance(run=run, from_phase=one.pk, by=by), run, "paused")
    services.run_resume(run=run, by=by, now=at(2))
    services.run_advance(run=run, from_phase=one.pk, by=by, now=at(3))
    services.run_advance(run=run, from_phase=two.pk, by=by, now=at(4))
    _refused(lambda: services.run_advance(run=run, from_phase=three.pk, by=by), run, "last phase")
    services.run_finish(run=run, by=by, now=at(5))
    _refused(lambda: services.run_advance(run=run, from_phase=three.pk, by=by), run, "over")


def test_pause_resume_and_finish_refuse_what_does_not_fit_the_state():
    run, _phases, by = clock_run()
    _refused(lambda: services.run_pause(run=run, by=by), run, "not started")
    _refused(lambda: services.run_resume(run=run, by=by), run, "not started")
    _refused(lambda: services.run_finish(run=run, by=by), run, "not started")
    services.run_start(run=run, by=by, now=at(0))
    _refused(lambda: services.run_resume(run=run, by=by), run, "not paused")
    services.run_pause(run=run, by=by, now=at(1))
    _refused(lambda: services.run_pause(run=run, by=by), run, "already paused")
    services.run_finish(run=run, by=by, now=at(2))  # a paused run may finish
    for call in (services.run_pause, services.run_resume, services.run_finish):
        _refused(lambda call=call: call(run=run, by=by), run, "over")


def test_a_cancelled_run_cannot_be_worked():
    run, (one, _two, _three), by = clock_run()
    ExerciseRun.objects.filter(pk=run.pk).update(status=Status.CANCELLED)
    _refused(lambda: services.run_pause(run=run, by=by), run, "over")
    _refused(lambda: services.run_advance(run=run, from_phase=one.pk, by=by), run, "over")


@pytest.mark.parametrize("minutes", [0, -5, 241, 100_000])
def test_extending_by_a_non_positive_or_absurd_number_of_minutes_is_refused(minutes):
    run, _phases, by = clock_run()
    services.run_start(run=run, by=by, now=at(0))
    _refused(lambda: services.run_extend(run=run, minutes=minutes, by=by), run, "1 to 240 minutes")


def test_extending_a_run_not_started_or_over_is_refused():
    run, _phases, by = clock_run()
    _refused(lambda: services.run_extend(run=run, minutes=5, by=by), run, "not started")
    services.run_start(run=run, by=by, now=at(0))
    services.run_finish(run=run, by=by, now=at(1))
    _refused(lambda: services.run_extend(run=run, minutes=5, by=by), run, "over")


def test_someone_who_does_not_facilitate_the_run_cannot_work_its_clock(coordinator):
    run, (one, _two, _three), _by = clock_run()
    stranger = FacilitatorFactory()
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    for person in (stranger, participant, None):
        _refused(lambda person=person: services.run_start(run=run, by=person), run, "Only the run's facilitators")
    services.run_start(run=run, by=coordinator, now=at(0))  # coordinators may
    _refused(lambda: services.run_advance(run=run, from_phase=one.pk, by=stranger), run, "Only the run's")
