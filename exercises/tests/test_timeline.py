"""Phases laid out in time (pure: no database)."""

import datetime as dt
from types import SimpleNamespace

from exercises import timeline as selectors

UTC = dt.UTC


def test_phase_timeline_starts_each_phase_after_the_minutes_before_it():
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    phases = [SimpleNamespace(planned_minutes=m) for m in (15, 15, 30, 15)]
    planned = selectors.phase_timeline(starts_at=start, phases=phases, ends_at=start + dt.timedelta(minutes=60))
    assert [(p.starts_at - start, p.ends_at - start) for p in planned] == [
        (dt.timedelta(0), dt.timedelta(minutes=15)),
        (dt.timedelta(minutes=15), dt.timedelta(minutes=30)),
        (dt.timedelta(minutes=30), dt.timedelta(minutes=60)),
        (dt.timedelta(minutes=60), dt.timedelta(minutes=75)),
    ]
    assert [p.overruns for p in planned] == [False, False, False, True]


def test_phase_timeline_without_an_end_never_overruns():
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    planned = selectors.phase_timeline(starts_at=start, phases=[SimpleNamespace(planned_minutes=600)])
    assert planned[0].overruns is False
