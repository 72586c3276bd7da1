"""When planned injects fall due and when they are planned, from hand-made clock events."""

import datetime as dt

from conduct.clock import Event, PlannedPhase, clock_compute
from conduct.inject_timing import inject_is_due, phase_times

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
ONE = PlannedPhase(id=1, order=1, name="Preparation", planned_minutes=15)
TWO = PlannedPhase(id=2, order=2, name="Crisis", planned_minutes=30)
THREE = PlannedPhase(id=3, order=3, name="Debrief", planned_minutes=20)
PHASES = [ONE, TWO, THREE]


def _min(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _clock(events: list[Event], now: dt.datetime, status: str = "running"):  # type: ignore[no-untyped-def]
    return clock_compute(status=status, phases=PHASES, events=events, now=now)


def test_an_inject_is_due_once_play_time_reaches_its_offset_and_a_pause_holds_it():
    # Phase 2 starts at 09:15; paused 09:18-09:28; the inject is planned 5 minutes into phase 2.
    events = [
        Event("start", _min(0), 1),
        Event("advance", _min(15), 2),
        Event("pause", _min(18), 2),
        Event("resume", _min(28), 2),
    ]
    due = lambda now, status="running": inject_is_due(  # noqa: E731
        phase_order=2, minute_offset=5, clock=_clock([e for e in events if e.at <= now], now, status)
    )
    assert not due(_min(19), "paused")  # paused: held
    assert not due(_min(27), "paused")  # 3 minutes of play so far
    assert not due(_min(29))  # 4 minutes of play
    assert due(_min(30))  # 5 minutes of play: 3 before the pause, 2 after
    # The planned time moves with the pause: 09:15 + 5 minutes of play + 10 paused = 09:30.
    clock = _clock(events, _min(29))
    times = phase_times(phases=PHASES, events=events, clock=clock, now=_min(29), planned_starts={}, anchor=None)
    assert times.at(2, 5) == _min(30)
    assert times.at(2, 2) == _min(17)  # reached before the pause


def test_earlier_phases_are_due_later_ones_are_not_and_only_a_running_run_has_due_injects():
    events = [Event("start", _min(0), 1), Event("advance", _min(15), 2)]
    clock = _clock(events, _min(16))
    assert inject_is_due(phase_order=1, minute_offset=14, clock=clock)  # its phase is past
    assert not inject_is_due(phase_order=3, minute_offset=0, clock=clock)
    assert not inject_is_due(phase_order=None, minute_offset=0, clock=clock)
    assert not inject_is_due(phase_order=1, minute_offset=0, clock=_clock(events, _min(16), "finished"))
    assert not inject_is_due(phase_order=1, minute_offset=0, clock=_clock([], T0, "planned"))


def test_planned_times_of_phases_not_yet_started_are_projected_and_wait_for_their_session():
    day_two = dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC)
    events = [Event("start", _min(0), 1), Event("extend", _min(5), 1, minutes=5)]
    clock = _clock(events, _min(10))
    times = phase_times(
        phases=PHASES, events=events, clock=clock, now=_min(10), planned_starts={3: day_two}, anchor=None
    )
    # Phase 1 planned 15 + 5 minutes: phase 2 from 09:20, phase 3 on day two (after 09:50).
    assert times.at(2, 10) == _min(30)
    assert times.at(3, 0) == day_two
    assert times.at(None, 3) is None


def test_before_the_start_times_come_from_the_session_and_a_finished_run_projects_nothing():
    clock = _clock([], T0, "planned")
    times = phase_times(phases=PHASES, events=[], clock=clock, now=T0, planned_starts={}, anchor=_min(60))
    assert (times.at(1, 0), times.at(2, 5), times.at(3, 1)) == (_min(60), _min(80), _min(106))
    no_anchor = phase_times(phases=PHASES, events=[], clock=clock, now=T0, planned_starts={}, anchor=None)
    assert no_anchor.at(2, 5) is None

    events = [Event("start", _min(0), 1), Event("advance", _min(15), 2), Event("finish", _min(20), 2)]
    finished = _clock(events, _min(60), "finished")
    times = phase_times(phases=PHASES, events=events, clock=finished, now=_min(60), planned_starts={}, anchor=None)
    assert times.at(2, 3) == _min(18)
    assert times.at(2, 25) == _min(20)  # never reached: due when the phase ended
    assert times.at(3, 0) is None
