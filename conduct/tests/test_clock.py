"""The phase clock's arithmetic with hand-computed times (conduct.clock: no database)."""

import datetime as dt

from conduct.clock import Event, PlannedPhase, clock_compute

T0 = dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)
BRIEF = PlannedPhase(id=11, order=1, name="Briefing", planned_minutes=10)
PLAY = PlannedPhase(id=12, order=2, name="Play", planned_minutes=45)
DEBRIEF = PlannedPhase(id=13, order=3, name="Debrief", planned_minutes=20)
PHASES = [DEBRIEF, BRIEF, PLAY]  # given out of order on purpose


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_before_the_start_there_is_no_current_phase_and_the_first_is_next():
    clock = clock_compute(status="planned", phases=PHASES, events=[], now=at(5))
    assert (clock.phase, clock.phase_number, clock.phase_count, clock.next_phase) == (None, 0, 3, BRIEF)
    assert (clock.elapsed_seconds, clock.remaining_seconds, clock.overrun_seconds) == (0, 0, 0)


def test_a_running_phase_counts_from_its_start():
    clock = clock_compute(status="running", phases=PHASES, events=[Event("start", at(0), 11)], now=at(7.5))
    assert (clock.phase, clock.phase_number, clock.next_phase) == (BRIEF, 1, PLAY)
    # 7 min 30 s of 10: 2 min 30 s left, shown as 3 minutes (rounded up), 7 elapsed (rounded down).
    assert (clock.elapsed_seconds, clock.remaining_seconds, clock.overrun_seconds) == (450, 150, 0)
    assert (clock.elapsed_minutes, clock.remaining_minutes, clock.planned_minutes) == (7, 3, 10)


def test_paused_time_is_not_counted_and_an_open_pause_holds_the_clock():
    events = [
        Event("start", at(0), 11),
        Event("advance", at(10), 12),
        Event("pause", at(20), 12),
        Event("resume", at(25), 12),  # 5 minutes held
        Event("pause", at(40), 12),  # still paused
    ]
    clock = clock_compute(status="paused", phases=PHASES, events=events, now=at(52))
    # Play began at 10; 42 minutes passed, 5 + 12 paused: 25 elapsed of 45.
    assert clock.phase == PLAY
    assert (clock.elapsed_seconds, clock.paused_seconds, clock.remaining_seconds) == (25 * 60, 17 * 60, 20 * 60)
    assert clock.paused_since == at(40)
    later = clock_compute(status="paused", phases=PHASES, events=events, now=at(90))
    assert later.elapsed_seconds == clock.elapsed_seconds  # held while paused


def test_extensions_raise_the_plan_of_their_own_phase_only_and_the_overrun_is_beyond_it():
    events = [
        Event("start", at(0), 11),
        Event("extend", at(5), 11, 5),  # for the briefing: forgotten once it ends
        Event("advance", at(15), 12),
        Event("extend", at(30), 12, 5),
        Event("extend", at(40), 12, 10),
    ]
    clock = clock_compute(status="running", phases=PHASES, events=events, now=at(80))
    # Play: 45 + 15 = 60 planned, 65 elapsed: 5 over, nothing left.
    assert (clock.planned_seconds, clock.extension_minutes) == (60 * 60, 15)
    assert (clock.elapsed_seconds, clock.remaining_seconds, clock.overrun_seconds) == (65 * 60, 0, 5 * 60)
    assert (clock.overrun_minutes, clock.remaining_minutes) == (5, 0)


def test_a_finished_run_stops_the_clock_at_the_finish_even_if_finished_while_paused():
    events = [
        Event("start", at(0), 11),
        Event("advance", at(10), 12),
        Event("advance", at(50), 13),
        Event("pause", at(60), 13),
        Event("finish", at(70), 13),
    ]
    clock = clock_compute(status="finished", phases=PHASES, events=events, now=at(300))
    # Debrief: 50 → 70, of which 60 → 70 paused: 10 elapsed of 20.
    assert (clock.phase, clock.is_last_phase, clock.paused_since) == (DEBRIEF, True, None)
    assert (clock.elapsed_seconds, clock.paused_seconds, clock.remaining_seconds) == (600, 600, 600)
