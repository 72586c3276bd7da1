import datetime as dt

import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from exercises import selectors
from exercises.models import ExerciseRun
from exercises.selectors import cohort_schedule, session_upcoming_list
from exercises.tests.factories import (
    CourseExerciseFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    InjectFactory,
    PhaseFactory,
)
from trainings.models import Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _exercise(planned: int, *minutes: int):
    exercise = ExerciseFactory(planned_minutes=planned)
    for order, phase_minutes in enumerate(minutes, start=1):
        PhaseFactory(exercise=exercise, order=order, planned_minutes=phase_minutes)
    return exercise


def test_no_warning_when_the_phases_fill_the_planned_duration():
    assert selectors.exercise_plan_warnings(exercise=_exercise(60, 15, 45)) == []


def test_warning_when_the_phases_leave_time_unplanned():
    # The seed's simulation: planned 90 minutes, phases 15 + 15 + 30 + 15 = 75.
    warnings = selectors.exercise_plan_warnings(exercise=_exercise(90, 15, 15, 30, 15))
    assert warnings == ["The phases add up to 75 minutes and leave 15 of the planned 90 minutes unplanned."]


def test_warning_when_the_phases_exceed_the_planned_duration():
    warnings = selectors.exercise_plan_warnings(exercise=_exercise(30, 15, 30))
    assert warnings == ["The phases add up to 45 minutes, 15 more than the planned 30 minutes."]


def test_warning_when_no_phase_is_planned():
    assert selectors.exercise_plan_warnings(exercise=_exercise(45)) == [
        "No phases are planned yet: all 45 minutes are unplanned."
    ]


def test_phase_minutes_are_not_inflated_by_the_joins_of_visible_to():
    facilitator = FacilitatorFactory()
    exercise = _exercise(45, 15, 30)
    cohorts = [CohortFactory(facilitators=[facilitator]) for _ in range(2)]
    for cohort in cohorts:
        CourseExerciseFactory(course=cohort.course, exercise=exercise)
        ExerciseRunFactory(exercise=exercise, cohort=cohort)
    [listed] = selectors.exercise_list(user=facilitator)
    assert listed.phase_minutes == 45
    assert selectors.exercise_plan_warning_list(user=facilitator) == []


def test_plan_warning_list_names_only_mismatched_exercises():
    coordinator = CoordinatorFactory()
    _exercise(60, 30, 30)
    short = _exercise(90, 15, 15, 30, 15)
    [(exercise, warnings)] = selectors.exercise_plan_warning_list(user=coordinator)
    assert exercise == short
    assert len(warnings) == 1


def test_guide_places_injects_at_their_minute_of_the_exercise():
    exercise = _exercise(60, 15, 30, 15)
    preparation, crisis, _debrief = exercise.phases.all()
    late = InjectFactory(exercise=exercise, number=1, phase=crisis, minute_offset=20)
    early = InjectFactory(exercise=exercise, number=2, phase=crisis, minute_offset=5)
    floating = InjectFactory(exercise=exercise, number=3, phase=None)
    first = InjectFactory(exercise=exercise, number=4, phase=preparation, minute_offset=0)
    guide = selectors.exercise_guide(exercise=selectors.exercise_get(user=CoordinatorFactory(), slug=exercise.slug))
    assert [(p.start_minute, p.end_minute) for p in guide.phases] == [(0, 15), (15, 45), (45, 60)]
    assert [(g.inject, g.at_minute) for g in guide.injects] == [
        (first, 0),
        (early, 20),
        (late, 35),
        (floating, None),
    ]
    assert guide.phase_minutes == 60


def test_cohort_agenda_lays_the_runs_phases_inside_its_session():
    cohort = CohortFactory(time_zone="Europe/Warsaw", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 2))
    starts = dt.datetime(2026, 6, 1, 9, 0, tzinfo=cohort.tz)
    session = SessionFactory(cohort=cohort, starts_at=starts, ends_at=starts + dt.timedelta(minutes=60))
    exercise = _exercise(90, 15, 15, 30, 15)
    ExerciseRunFactory(exercise=exercise, cohort=cohort, session=session)
    [day] = cohort_schedule(cohort=cohort)
    [entry] = day.entries
    local = [(p.starts_at.astimezone(cohort.tz).strftime("%H:%M"), p.overruns) for p in entry.phases]
    assert local == [("09:00", False), ("09:15", False), ("09:30", False), ("10:00", True)]
    assert entry.overruns is True


def test_upcoming_runs_are_those_of_the_facilitators_cohorts_still_to_come():
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    soon = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort))
    unscheduled = ExerciseRunFactory(cohort=cohort)
    ExerciseRunFactory(cohort=cohort, status=ExerciseRun.Status.FINISHED)
    ExerciseRunFactory(cohort=cohort, status=ExerciseRun.Status.CANCELLED)
    past_start = dt.datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
    past = SessionFactory(cohort=cohort, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=1))
    ExerciseRunFactory(cohort=cohort, session=past)
    ExerciseRunFactory()  # another cohort
    assert selectors.exercise_run_upcoming_list(user=facilitator) == [soon, unscheduled]


def test_cohort_schedule_groups_sessions_by_day_in_the_cohort_time_zone():
    cohort = CohortFactory(time_zone="Asia/Tokyo", start_date=dt.date(2026, 5, 10), end_date=dt.date(2026, 5, 12))
    # 16:00 UTC on the 10th is 01:00 on the 11th in Tokyo.
    late = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2026, 5, 10, 16, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 5, 10, 17, 0, tzinfo=dt.UTC),
    )
    early = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2026, 5, 10, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 5, 10, 2, 0, tzinfo=dt.UTC),
    )
    agenda = cohort_schedule(cohort=cohort)
    assert [(day.date, [e.session for e in day.entries]) for day in agenda] == [
        (dt.date(2026, 5, 10), [early]),
        (dt.date(2026, 5, 11), [late]),
    ]
    assert all(entry.run is None and entry.phases == [] for day in agenda for entry in day.entries)


def test_session_upcoming_list_leaves_out_cancelled_and_past_sessions():
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    upcoming = SessionFactory(cohort=cohort)
    SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    past_start = dt.datetime(2020, 1, 1, 9, 0, tzinfo=dt.UTC)
    SessionFactory(cohort=cohort, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=1))
    assert session_upcoming_list(user=facilitator) == [upcoming]
    assert session_upcoming_list(user=ParticipantUserFactory()) == []
