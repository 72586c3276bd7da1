"""The conflict checks trainings makes itself, and the registry the higher layers add to.

Runs and enrolments belong to higher layers: their checks are tested in exercises/tests and
participants/tests. Here: the cohort's own sessions, rooms, video links and facilitators.
"""

import datetime as dt
import zoneinfo

import pytest

from accounts.tests.factories import FacilitatorFactory
from trainings import conflicts, services
from trainings.conflicts import HARD, SOFT, Conflict, ScheduleConflictError, SessionPlan
from trainings.models import Cohort, DeliveryMode, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")
DAY = dt.date(2030, 5, 13)


def _cohort(**kwargs: object) -> Cohort:
    kwargs.setdefault("start_date", DAY)
    kwargs.setdefault("end_date", DAY + dt.timedelta(days=4))
    return CohortFactory(**kwargs)


def _at(hour: int, minute: int = 0, tz: zoneinfo.ZoneInfo = WARSAW) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=tz)


def _create(cohort: Cohort, start: dt.datetime, end: dt.datetime, **kwargs: object) -> Session:
    return services.session_create(cohort=cohort, title="New", starts_at=start, ends_at=end, **kwargs)


def _refused(cohort: Cohort, start: dt.datetime, end: dt.datetime, **kwargs: object) -> list[Conflict]:
    before = Session.objects.count()
    with pytest.raises(ScheduleConflictError) as excinfo:
        _create(cohort, start, end, **kwargs)
    assert Session.objects.count() == before, "a refused session must not be saved"
    assert all(c.is_hard for c in excinfo.value.conflicts)
    return excinfo.value.conflicts


# --- the cohort's own sessions ---------------------------------------------------------------


def test_two_overlapping_sessions_of_one_cohort_are_refused():
    cohort = _cohort()
    existing = SessionFactory(cohort=cohort, title="Opening", starts_at=_at(9), ends_at=_at(10, 30), room="")
    [conflict] = _refused(cohort, _at(10), _at(11))
    assert conflict.code == "cohort_overlap"
    assert conflict.clashes_with == existing
    assert "Opening" in conflict.message
    assert "09:00–10:30 (Europe/Warsaw)" in conflict.message


def test_back_to_back_sessions_do_not_overlap():
    cohort = _cohort()
    SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    assert _create(cohort, _at(10), _at(11)).pk


def test_a_cancelled_session_frees_its_time():
    cohort = _cohort()
    SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11), status=Session.Status.CANCELLED)
    assert _create(cohort, _at(9), _at(11)).pk


# --- rooms -----------------------------------------------------------------------------------


def test_the_same_room_of_the_same_venue_is_refused_ignoring_case():
    mine = _cohort(venue="Training Centre, Warsaw")
    theirs = _cohort(venue="training centre, warsaw ", name="Cohort B")
    other = SessionFactory(cohort=theirs, title="Crisis simulation", starts_at=_at(9), ends_at=_at(11), room="Room 2")
    [conflict] = _refused(mine, _at(10), _at(12), room="room 2")
    assert (conflict.code, conflict.clashes_with) == ("room_taken", other)
    assert "Cohort B" in conflict.message
    assert "Crisis simulation" in conflict.message


def test_a_room_of_the_same_name_in_another_venue_is_free():
    mine = _cohort(venue="Training centre, Warsaw")
    theirs = _cohort(venue="Police academy, Sofia")
    SessionFactory(cohort=theirs, starts_at=_at(9), ends_at=_at(11), room="Room 2")
    assert _create(mine, _at(9), _at(11), room="Room 2").pk


def test_rooms_are_compared_at_the_same_instant_across_time_zones():
    mine = _cohort(venue="Hotel Europa")
    theirs = _cohort(venue="Hotel Europa", time_zone="Europe/Sofia")
    # 10:00–11:00 in Sofia is 09:00–10:00 in Warsaw.
    SessionFactory(cohort=theirs, starts_at=_at(10, tz=SOFIA), ends_at=_at(11, tz=SOFIA), room="Hall")
    assert _create(mine, _at(10), _at(11), room="Hall").pk
    [conflict] = _refused(mine, _at(9, 30), _at(10), room="Hall")
    assert "09:00–10:00 (Europe/Warsaw)" in conflict.message  # said in the planned cohort's zone


# --- video links -----------------------------------------------------------------------------


def test_the_same_video_link_at_once_is_refused_even_when_it_is_the_cohorts():
    link = "https://meet.example.org/concord-a"
    mine = _cohort(delivery_mode=DeliveryMode.ONLINE, venue="", video_link="https://meet.example.org/mine")
    theirs = _cohort(delivery_mode=DeliveryMode.ONLINE, venue="", video_link=link)
    other = SessionFactory(cohort=theirs, starts_at=_at(9), ends_at=_at(11), room="", video_link="")
    [conflict] = _refused(mine, _at(10), _at(12), video_link=link)
    assert (conflict.code, conflict.clashes_with) == ("video_link_taken", other)
    assert link in conflict.message


def test_different_video_links_do_not_clash():
    mine = _cohort(delivery_mode=DeliveryMode.ONLINE, venue="", video_link="https://meet.example.org/a")
    theirs = _cohort(delivery_mode=DeliveryMode.ONLINE, venue="", video_link="https://meet.example.org/b")
    SessionFactory(cohort=theirs, starts_at=_at(9), ends_at=_at(11), room="", video_link="")
    assert _create(mine, _at(9), _at(11)).pk


# --- facilitators ----------------------------------------------------------------------------


def test_a_facilitator_booked_in_another_cohort_is_refused():
    anna = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    mine = _cohort(facilitators=[anna], venue="Warsaw")
    theirs = _cohort(name="Cohort B", facilitators=[anna, FacilitatorFactory()], venue="Sofia")
    other = SessionFactory(cohort=theirs, title="Crisis simulation", starts_at=_at(9), ends_at=_at(10, 30))
    [conflict] = _refused(mine, _at(10), _at(12))
    assert (conflict.code, conflict.subject, conflict.clashes_with) == ("facilitator_booked", f"user:{anna.pk}", other)
    assert conflict.message == (
        "Facilitator Anna Nowak is already booked 13 May 2030 09:00–10:30 (Europe/Warsaw) in Cohort B: "
        "“Crisis simulation”."
    )


def test_a_facilitator_of_another_cohort_only_is_free():
    mine = _cohort(facilitators=[FacilitatorFactory()], venue="Warsaw")
    theirs = _cohort(facilitators=[FacilitatorFactory()], venue="Sofia")
    SessionFactory(cohort=theirs, starts_at=_at(9), ends_at=_at(11))
    assert _create(mine, _at(9), _at(11)).pk


def test_every_hard_conflict_is_listed_at_once():
    anna = FacilitatorFactory()
    mine = _cohort(facilitators=[anna], venue="Centre")
    theirs = _cohort(facilitators=[anna], venue="Centre")
    SessionFactory(cohort=mine, starts_at=_at(9), ends_at=_at(10), room="")
    SessionFactory(cohort=theirs, starts_at=_at(9), ends_at=_at(11), room="Room 1")
    codes = sorted(c.code for c in _refused(mine, _at(9, 30), _at(10, 30), room="Room 1"))
    assert codes == ["cohort_overlap", "facilitator_booked", "room_taken"]


# --- moving and changing sessions ------------------------------------------------------------


def test_moving_a_session_onto_another_is_refused_and_nothing_changes():
    cohort = _cohort()
    SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    later = SessionFactory(cohort=cohort, starts_at=_at(14), ends_at=_at(15))
    with pytest.raises(ScheduleConflictError):
        services.session_update(session=later, data={"starts_at": _at(9, 30), "ends_at": _at(10, 30)})
    later.refresh_from_db()
    assert (later.starts_at, later.sequence) == (_at(14), 0)


def test_a_session_does_not_clash_with_itself_when_moved_a_little():
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    services.session_update(session=session, data={"starts_at": _at(9, 15), "ends_at": _at(10, 15)})
    session.refresh_from_db()
    assert (session.starts_at, session.sequence) == (_at(9, 15), 1)


def test_renaming_a_session_is_not_refused_for_an_old_clash():
    cohort = _cohort()
    SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    clash = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))  # made before the checks
    services.session_update(session=clash, data={"title": "Renamed"})
    clash.refresh_from_db()
    assert clash.title == "Renamed"


def test_reinstating_a_cancelled_session_is_checked():
    cohort = _cohort()
    SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    cancelled = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10), status=Session.Status.CANCELLED)
    with pytest.raises(ScheduleConflictError) as excinfo:
        services.session_reinstate(session=cancelled)
    assert [c.code for c in excinfo.value.conflicts] == ["cohort_overlap"]
    assert cancelled.status == Session.Status.CANCELLED  # the caller's copy too
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.sequence) == (Session.Status.CANCELLED, 0)


def test_reinstating_is_checked_against_other_cohorts_too():
    facilitator = FacilitatorFactory()
    SessionFactory(cohort=_cohort(facilitators=[facilitator], venue="Sofia"), starts_at=_at(9), ends_at=_at(10))
    cohort = _cohort(facilitators=[facilitator], venue="Warsaw")
    cancelled = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10), status=Session.Status.CANCELLED)
    with pytest.raises(ScheduleConflictError) as excinfo:
        services.session_reinstate(session=cancelled)
    assert [c.code for c in excinfo.value.conflicts] == ["facilitator_booked"]
    cancelled.refresh_from_db()
    assert cancelled.status == Session.Status.CANCELLED


# --- the registry ----------------------------------------------------------------------------


def test_one_conflict_per_subject_and_session_and_soft_ones_are_only_warnings(monkeypatch):
    cohort = _cohort()
    other = SessionFactory(cohort=_cohort(), starts_at=_at(9), ends_at=_at(10))

    def twice(plan: SessionPlan) -> list[Conflict]:
        return [Conflict("a", HARD, "first", other, "user:1"), Conflict("b", HARD, "second", other, "user:1")]

    def soft(plan: SessionPlan) -> list[Conflict]:
        return [Conflict("long", SOFT, "runs long")]

    checks = (conflicts.Check(twice), conflicts.Check(soft, checks_run=True))
    plan = SessionPlan(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    assert [c.message for c in conflicts.session_conflicts(plan=plan, checks=checks)] == ["first", "runs long"]
    # Only the run changes: checks about the session's time and place are not repeated.
    run_plan = SessionPlan(cohort=cohort, starts_at=_at(9), ends_at=_at(10), only_run=True)
    assert [c.message for c in conflicts.session_conflicts(plan=run_plan, checks=checks)] == ["runs long"]
    with pytest.raises(ScheduleConflictError) as excinfo:
        conflicts.session_plan_check(plan=plan, checks=checks)
    assert excinfo.value.as_dict()["conflicts"] == ["first"]
    assert [c.code for c in conflicts.session_plan_check(plan=plan, checks=checks[1:])] == ["long"]
