import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.tests.factories import FacilitatorFactory, ParticipantUserFactory
from trainings import selectors
from trainings.models import Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

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


def test_cohort_schedule_groups_sessions_by_day_in_the_cohort_time_zone():
    cohort = CohortFactory(time_zone="Asia/Tokyo", start_date=dt.date(2026, 5, 10), end_date=dt.date(2026, 5, 12))
    # 16:00 UTC on the 10th is 01:00 on the 11th in Tokyo.
    late = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2026, 5, 10, 16, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 5, 10, 17, 0, tzinfo=UTC),
    )
    early = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2026, 5, 10, 1, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 5, 10, 2, 0, tzinfo=UTC),
    )
    agenda = selectors.cohort_schedule(cohort=cohort)
    assert [(day.date, [e.session for e in day.entries]) for day in agenda] == [
        (dt.date(2026, 5, 10), [early]),
        (dt.date(2026, 5, 11), [late]),
    ]
    assert all(entry.run is None and entry.phases == [] for day in agenda for entry in day.entries)


def test_cohort_list_counts_places_taken_and_filters_by_visibility():
    facilitator = FacilitatorFactory()
    mine = CohortFactory(facilitators=[facilitator])
    CohortFactory()
    cohorts = list(selectors.cohort_list(user=facilitator))
    assert cohorts == [mine]
    assert cohorts[0].places_taken == 0


def test_session_upcoming_list_leaves_out_cancelled_and_past_sessions():
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    upcoming = SessionFactory(cohort=cohort)
    SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    past_start = dt.datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
    SessionFactory(cohort=cohort, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=1))
    assert selectors.session_upcoming_list(user=facilitator) == [upcoming]
    assert selectors.session_upcoming_list(user=ParticipantUserFactory()) == []
