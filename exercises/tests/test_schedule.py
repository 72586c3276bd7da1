"""Exercise runs in the schedule: their conflict rules, moving with their session, the run pages and API."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import FacilitatorFactory
from exercises import services
from exercises.conflicts import SCHEDULE_CHECKS, run_in_session, run_warnings, schedule_warnings
from exercises.models import ExerciseRun, RunTeam
from exercises.selectors import cohort_schedule, exercise_run_phase_plan
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, PhaseFactory, TeamRoleFactory
from participants.conflicts import PARTICIPANTS_CHECKS
from trainings import services as training_services
from trainings.conflicts import TRAININGS_CHECKS, ScheduleConflictError
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
DAY = dt.date(2030, 5, 13)
API = "/api/v1"


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=WARSAW)


def warsaw_cohort(**kwargs: object) -> Cohort:
    return CohortFactory(start_date=DAY, end_date=DAY + dt.timedelta(days=4), **kwargs)


def exercise_of(*minutes: int, name: str = "Crisis simulation"):  # type: ignore[no-untyped-def]
    exercise = ExerciseFactory(name=name, planned_minutes=sum(minutes))
    for order, length in enumerate(minutes, start=1):
        PhaseFactory(exercise=exercise, order=order, name=f"Phase {order}", planned_minutes=length)
    TeamRoleFactory(exercise=exercise)
    return exercise


# --- a session shorter than its run's phases (soft) -------------------------------------------


def test_a_run_longer_than_its_session_is_saved_with_a_warning():
    cohort = warsaw_cohort()
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(10))
    run = services.exercise_run_create(exercise=exercise_of(15, 15, 30, 15), cohort=cohort, session=session)
    assert ExerciseRun.objects.filter(pk=run.pk, session=session).exists()
    [warning] = run_warnings(run=run)
    assert (warning.code, warning.severity) == ("run_too_long", "soft")
    assert "75 minutes" in warning.message
    assert "15 minutes long" in warning.message
    # The agenda shows the phases that go past the end.
    [day] = cohort_schedule(cohort=cohort)
    assert day.entries[0].overruns
    assert [p.overruns for p in day.entries[0].phases] == [False, False, False, True]


def _move(session: Session, data: dict) -> Session:
    """Change a session with every schedule check and the run it holds, as portal.services does."""
    return training_services.session_update(
        session=session, data=data, checks=SCHEDULE_CHECKS, run=run_in_session(session)
    )


def test_shortening_a_session_below_its_run_is_saved_with_a_warning():
    cohort = warsaw_cohort()
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11))
    run = services.exercise_run_create(exercise=exercise_of(45, 45), cohort=cohort, session=session)
    assert run_warnings(run=run) == []
    _move(session, {"ends_at": at(10)})
    session.refresh_from_db()
    assert session.ends_at == at(10)
    assert [w.code for w in schedule_warnings(session=session)] == ["run_too_long"]


def test_a_run_without_phases_is_judged_by_its_planned_duration():
    cohort = warsaw_cohort()
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(10))
    run = services.exercise_run_create(exercise=ExerciseFactory(planned_minutes=90), cohort=cohort, session=session)
    assert [w.code for w in run_warnings(run=run)] == ["run_too_long"]


# --- a lead facilitator leading two runs at once (hard) ----------------------------------------


def test_a_lead_facilitator_leading_another_run_at_once_is_refused():
    lead = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    elsewhere = warsaw_cohort(name="Cohort B", venue="Sofia")  # Anna is not one of its facilitators
    other_session = SessionFactory(cohort=elsewhere, starts_at=at(9), ends_at=at(10, 30))
    ExerciseRunFactory(
        cohort=elsewhere, session=other_session, lead_facilitator=lead, exercise=exercise_of(30, name="Interviews")
    )
    cohort = warsaw_cohort(venue="Warsaw", facilitators=[lead])
    session = SessionFactory(cohort=cohort, starts_at=at(10), ends_at=at(12))
    with pytest.raises(ScheduleConflictError) as excinfo:
        services.exercise_run_create(exercise=exercise_of(60), cohort=cohort, session=session, lead_facilitator=lead)
    [conflict] = excinfo.value.conflicts
    assert (conflict.code, conflict.clashes_with) == ("lead_facilitator_booked", other_session)
    assert conflict.message == (
        "Anna Nowak already leads “Interviews” 13 May 2030 09:00–10:30 (Europe/Warsaw) in Cohort B."
    )
    assert ExerciseRun.objects.filter(cohort=cohort).count() == 0
    assert RunTeam.objects.filter(run__cohort=cohort).count() == 0


def test_a_lead_who_facilitates_the_other_cohort_is_reported_once():
    lead = FacilitatorFactory()
    elsewhere = warsaw_cohort(facilitators=[lead], venue="Sofia")
    other_session = SessionFactory(cohort=elsewhere, starts_at=at(9), ends_at=at(11))
    ExerciseRunFactory(cohort=elsewhere, session=other_session, lead_facilitator=lead)
    cohort = warsaw_cohort(venue="Warsaw", facilitators=[lead])
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11)))
    with pytest.raises(ScheduleConflictError) as excinfo:
        services.exercise_run_update(run=run, data={"lead_facilitator": lead})
    assert len(excinfo.value.conflicts) == 1
    run.refresh_from_db()
    assert run.lead_facilitator is None


def test_a_lead_facilitator_free_at_that_time_is_accepted():
    lead = FacilitatorFactory()
    elsewhere = warsaw_cohort(venue="Sofia")
    ExerciseRunFactory(
        cohort=elsewhere,
        session=SessionFactory(cohort=elsewhere, starts_at=at(9), ends_at=at(10)),
        lead_facilitator=lead,
    )
    cohort = warsaw_cohort(venue="Warsaw", facilitators=[lead])
    session = SessionFactory(cohort=cohort, starts_at=at(10), ends_at=at(12))
    run = services.exercise_run_create(exercise=exercise_of(60), cohort=cohort, session=session, lead_facilitator=lead)
    assert run.lead_facilitator == lead


def test_a_run_in_a_cancelled_session_does_not_book_its_lead():
    lead = FacilitatorFactory()
    elsewhere = warsaw_cohort(venue="Sofia")
    cancelled = SessionFactory(cohort=elsewhere, starts_at=at(9), ends_at=at(11), status=Session.Status.CANCELLED)
    ExerciseRunFactory(cohort=elsewhere, session=cancelled, lead_facilitator=lead)
    cohort = warsaw_cohort(venue="Warsaw", facilitators=[lead])
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11))
    assert services.exercise_run_create(exercise=exercise_of(60), cohort=cohort, session=session, lead_facilitator=lead)


def test_moving_a_session_onto_its_leads_other_run_is_refused():
    lead = FacilitatorFactory()
    elsewhere = warsaw_cohort(venue="Sofia")
    ExerciseRunFactory(
        cohort=elsewhere,
        session=SessionFactory(cohort=elsewhere, starts_at=at(14), ends_at=at(16)),
        lead_facilitator=lead,
    )
    cohort = warsaw_cohort(venue="Warsaw")
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11))
    ExerciseRunFactory(cohort=cohort, session=session, lead_facilitator=lead)
    with pytest.raises(ScheduleConflictError) as excinfo:
        _move(session, {"starts_at": at(14), "ends_at": at(16)})
    assert [c.code for c in excinfo.value.conflicts] == ["lead_facilitator_booked"]
    session.refresh_from_db()
    assert session.starts_at == at(9)


# --- moving a session moves its run ----------------------------------------------------------


def test_moving_a_session_moves_its_runs_planned_phases_and_bumps_the_sequence():
    cohort = warsaw_cohort()
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11))
    run = services.exercise_run_create(exercise=exercise_of(15, 30, 15), cohort=cohort, session=session)
    session.refresh_from_db()
    sequence = session.sequence
    assert [p.starts_at for p in exercise_run_phase_plan(run=run)] == [at(9), at(9, 15), at(9, 45)]

    next_day = dt.timedelta(days=1, hours=5)
    _move(session, {"starts_at": at(9) + next_day, "ends_at": at(11) + next_day})

    run = ExerciseRun.objects.select_related("session", "exercise").get(pk=run.pk)
    assert run.session_id == session.pk
    assert [(p.starts_at, p.ends_at) for p in exercise_run_phase_plan(run=run)] == [
        (at(14) + dt.timedelta(days=1), at(14, 15) + dt.timedelta(days=1)),
        (at(14, 15) + dt.timedelta(days=1), at(14, 45) + dt.timedelta(days=1)),
        (at(14, 45) + dt.timedelta(days=1), at(15) + dt.timedelta(days=1)),
    ]
    assert run.session.sequence == sequence + 1
    [day] = cohort_schedule(cohort=cohort)
    assert day.date == DAY + dt.timedelta(days=1)
    assert day.entries[0].phases[0].starts_at == at(14) + dt.timedelta(days=1)


def test_a_started_run_keeps_its_sessions_times():
    cohort = warsaw_cohort()
    session = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11))
    ExerciseRunFactory(cohort=cohort, session=session, status=ExerciseRun.Status.RUNNING)
    with pytest.raises(ScheduleConflictError) as excinfo:
        _move(session, {"starts_at": at(10), "ends_at": at(12)})
    assert [c.code for c in excinfo.value.conflicts] == ["run_started"]
    session.refresh_from_db()
    assert session.starts_at == at(9)
    _move(session, {"room": "Room 9"})  # the place may change


def test_putting_a_run_in_a_session_or_taking_it_out_bumps_both_sessions():
    cohort = warsaw_cohort()
    first = SessionFactory(cohort=cohort, starts_at=at(9), ends_at=at(11))
    second = SessionFactory(cohort=cohort, starts_at=at(14), ends_at=at(16))
    run = services.exercise_run_create(exercise=exercise_of(30), cohort=cohort, session=first)
    services.exercise_run_update(run=run, data={"session": second})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.sequence, second.sequence) == (2, 1)


def test_a_run_cannot_be_put_in_a_cancelled_session():
    cohort = warsaw_cohort()
    cancelled = SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_create(exercise=exercise_of(30), cohort=cohort, session=cancelled)
    assert "cancelled" in excinfo.value.message_dict["session"][0]
    assert not ExerciseRun.objects.exists()


def test_schedule_checks_list_every_apps_checks_once():
    """The one place that composes the schedule checks holds trainings', participants' and exercises'."""
    checkers = [check.checker for check in SCHEDULE_CHECKS]
    assert len(checkers) == len(set(checkers))
    assert {c.checker for c in (*TRAININGS_CHECKS, *PARTICIPANTS_CHECKS)} <= set(checkers)
    assert {c.__module__ for c in checkers} == {"trainings.conflicts", "participants.conflicts", "exercises.conflicts"}


def test_adding_a_facilitator_booked_elsewhere_during_a_session_is_refused():
    anna = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    mine = warsaw_cohort(venue="Warsaw")
    SessionFactory(cohort=mine, starts_at=at(9), ends_at=at(11))
    theirs = warsaw_cohort(name="Cohort B", facilitators=[anna], venue="Sofia")
    SessionFactory(cohort=theirs, title="Interviews", starts_at=at(10), ends_at=at(12))
    with pytest.raises(ValidationError) as excinfo:
        training_services.cohort_update(cohort=mine, data={"facilitators": [anna]})
    [message] = excinfo.value.message_dict["facilitators"]
    assert message.startswith("Facilitator Anna Nowak is already booked 13 May 2030 10:00–12:00 (Europe/Warsaw)")
    assert not mine.facilitators.exists()
    # Free at that time (the other session is cancelled): accepted.
    theirs.sessions.update(status=Session.Status.CANCELLED)
    training_services.cohort_update(cohort=mine, data={"facilitators": [anna]})
    assert list(mine.facilitators.all()) == [anna]
    # Already one of them: keeping her is not re-judged.
    training_services.cohort_update(cohort=mine, data={"facilitators": [anna], "name": "Renamed"})
