"""Calendar selection: what goes into a feed or a download (portal.calendars.selectors)."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.tests.factories import FacilitatorFactory
from exercises import services as exercise_services
from exercises.models import ExerciseRun
from exercises.tests.factories import (
    ExerciseRunFactory,
    PhaseFactory,
    RunTeamFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
)
from participants.models import Enrolment
from participants.services import enrolment_status_change
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.models import CalendarFeed
from portal.services import session_cancel
from portal.tests.teams import teams_confirm
from trainings.models import DeliveryMode
from trainings.services import session_update
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def _events(content: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in icalendar.Calendar.from_ical(content).walk("VEVENT")}


def _feed_events(feed: CalendarFeed) -> dict[str, icalendar.Event]:
    return _events(calendars.calendar_feed_content(feed=feed))


@pytest.fixture
def plan(coordinator):
    """A Warsaw cohort with a session that holds a 15 + 30 minute run, and a plain session."""
    cohort = CohortFactory(
        name="Warsaw 2026",
        delivery_mode=DeliveryMode.HYBRID,
        venue="Training centre",
        video_link="https://meet.example.org/warsaw",
    )
    day = cohort.start_date
    simulation = SessionFactory(
        cohort=cohort,
        title="Simulation",
        room="Room A",
        starts_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=WARSAW),
        ends_at=dt.datetime.combine(day, dt.time(11, 0), tzinfo=WARSAW),
    )
    lecture = SessionFactory(
        cohort=cohort,
        title="Lecture",
        room="",
        starts_at=dt.datetime.combine(day, dt.time(14, 0), tzinfo=WARSAW),
        ends_at=dt.datetime.combine(day, dt.time(15, 30), tzinfo=WARSAW),
    )
    lead = FacilitatorFactory(first_name="Ewa", last_name="Nowak")
    run = ExerciseRunFactory(cohort=cohort, session=simulation, exercise__name="Interviewing", lead_facilitator=lead)
    PhaseFactory(exercise=run.exercise, order=1, name="Preparation", planned_minutes=15)
    PhaseFactory(exercise=run.exercise, order=2, name="Crisis phase", planned_minutes=30)
    return {"cohort": cohort, "simulation": simulation, "lecture": lecture, "run": run, "coordinator": coordinator}


def _cohort_feed(plan: dict) -> CalendarFeed:
    return feeds.calendar_feed_create(by=plan["coordinator"], cohort=plan["cohort"])


# --- events -------------------------------------------------------------------------------------


def test_sessions_and_runs_have_stable_uids_on_the_site_host(plan, settings):
    settings.SITE_URL = "https://concord.example.eu"
    events = _feed_events(_cohort_feed(plan))
    simulation, lecture, run = plan["simulation"], plan["lecture"], plan["run"]
    assert set(events) == {
        f"session-{simulation.pk}@concord.example.eu",
        f"session-{lecture.pk}@concord.example.eu",
        f"run-{run.pk}@concord.example.eu",
    }


def test_times_are_the_cohorts_local_times_with_its_tzid(plan):
    events = _feed_events(_cohort_feed(plan))
    simulation, run = plan["simulation"], plan["run"]
    session_event = events[calendars.session_uid(simulation.pk)]
    assert session_event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert session_event.decoded("DTSTART") == simulation.starts_at.astimezone(WARSAW)
    assert session_event.decoded("DTSTART").strftime("%H:%M") == "09:00"
    assert session_event.decoded("DTEND") == simulation.ends_at
    # The run: from the session's start for the sum of its phases (15 + 30 minutes).
    run_event = events[calendars.run_uid(run.pk)]
    assert run_event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert run_event.decoded("DTSTART") == simulation.starts_at
    assert run_event.decoded("DTEND").astimezone(WARSAW).strftime("%H:%M") == "09:45"


def test_an_online_cohorts_session_is_where_its_link_is(plan):
    cohort = plan["cohort"]
    cohort.delivery_mode = DeliveryMode.ONLINE
    cohort.save()
    lecture_event = _feed_events(_cohort_feed(plan))[calendars.session_uid(plan["lecture"].pk)]
    assert str(lecture_event["LOCATION"]) == "https://meet.example.org/warsaw"
    assert str(lecture_event["URL"]) == "https://meet.example.org/warsaw"


def test_location_is_the_room_and_venue_and_the_link_is_in_url_and_description(plan):
    events = _feed_events(_cohort_feed(plan))
    session_event = events[calendars.session_uid(plan["simulation"].pk)]
    assert str(session_event["LOCATION"]) == "Room A, Training centre"
    assert str(session_event["URL"]) == "https://meet.example.org/warsaw"
    assert "https://meet.example.org/warsaw" in str(session_event["DESCRIPTION"])


def test_a_runs_description_names_the_exercise_and_its_planned_phases(plan):
    run_event = _feed_events(_cohort_feed(plan))[calendars.run_uid(plan["run"].pk)]
    assert str(run_event["SUMMARY"]) == "Exercise: Interviewing"
    description = str(run_event["DESCRIPTION"])
    assert "Interviewing" in description
    assert "09:00–09:15 Preparation (15 min)" in description
    assert "09:15–09:45 Crisis phase (30 min)" in description
    assert "Ewa Nowak" in description
    assert f"/runs/{plan['run'].pk}/" in description


def test_sequence_follows_the_session_and_goes_up_when_the_schedule_changes(plan):
    feed = _cohort_feed(plan)
    simulation, run = plan["simulation"], plan["run"]
    before = _feed_events(feed)
    assert before[calendars.session_uid(simulation.pk)]["SEQUENCE"] == simulation.sequence == 0
    later = simulation.starts_at + dt.timedelta(hours=1)
    session_update(session=simulation, data={"starts_at": later, "ends_at": later + dt.timedelta(hours=2)})
    after = _feed_events(feed)
    moved = after[calendars.session_uid(simulation.pk)]
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").astimezone(WARSAW).strftime("%H:%M") == "10:00"
    # The run moved with its session, under the same UID and with a higher SEQUENCE.
    run_event = after[calendars.run_uid(run.pk)]
    assert run_event["SEQUENCE"] == 1
    assert run_event.decoded("DTSTART") == later
    assert moved.decoded("LAST-MODIFIED") >= before[calendars.session_uid(simulation.pk)].decoded("LAST-MODIFIED")


def test_a_cancelled_session_stays_in_the_feed_marked_cancelled_with_its_run(plan):
    feed = _cohort_feed(plan)
    simulation, run = plan["simulation"], plan["run"]
    session_cancel(session=simulation)
    events = _feed_events(feed)
    session_event = events[calendars.session_uid(simulation.pk)]
    assert str(session_event["STATUS"]) == "CANCELLED"
    assert str(session_event["SUMMARY"]) == "Cancelled: Simulation"
    assert session_event["SEQUENCE"] == 1
    assert str(events[calendars.run_uid(run.pk)]["STATUS"]) == "CANCELLED"
    assert str(events[calendars.session_uid(plan["lecture"].pk)]["STATUS"]) == "CONFIRMED"


def _run_sequence(feed: CalendarFeed, run: ExerciseRun) -> int:
    return int(_feed_events(feed)[calendars.run_uid(run.pk)]["SEQUENCE"])


def test_a_runs_sequence_never_goes_down_when_it_moves_to_a_less_edited_session(plan):
    feed = _cohort_feed(plan)
    simulation, lecture, run = plan["simulation"], plan["lecture"], plan["run"]
    for hour in (8, 9, 8):  # the simulation is edited three times: its sequence is 3
        start = simulation.starts_at.replace(hour=hour)
        session_update(session=simulation, data={"starts_at": start, "ends_at": start + dt.timedelta(hours=2)})
    seen = [_run_sequence(feed, run)]
    assert seen == [3]
    # The lecture was never edited: following its sequence alone, the run's would fall from 3 to 1.
    exercise_services.exercise_run_update(run=run, data={"session": lecture})
    seen.append(_run_sequence(feed, run))
    event = _feed_events(feed)[calendars.run_uid(run.pk)]
    assert event.decoded("DTSTART") == lecture.starts_at
    # Out of a session (no event) and into the busier one again: still up at every step.
    exercise_services.exercise_run_update(run=run, data={"session": None})
    assert calendars.run_uid(run.pk) not in _feed_events(feed)
    exercise_services.exercise_run_update(run=run, data={"session": lecture})
    seen.append(_run_sequence(feed, run))
    exercise_services.exercise_run_update(run=run, data={"session": simulation})
    seen.append(_run_sequence(feed, run))
    # Moving the session it is in, and cancelling that session, move it up too.
    later = lecture.starts_at + dt.timedelta(hours=3)
    session_update(session=simulation, data={"starts_at": later, "ends_at": later + dt.timedelta(hours=2)})
    seen.append(_run_sequence(feed, run))
    session_cancel(session=simulation)
    seen.append(_run_sequence(feed, run))
    assert seen == sorted(set(seen)), seen  # strictly increasing


def test_a_runs_sequence_goes_up_when_its_exercises_phases_change(plan):
    feed = _cohort_feed(plan)
    run = plan["run"]
    exercise = run.exercise
    finished = ExerciseRunFactory(
        cohort=run.cohort,
        exercise=exercise,
        session=SessionFactory(cohort=run.cohort, starts_at=run.session.starts_at - dt.timedelta(days=1)),
        status=ExerciseRun.Status.FINISHED,
    )
    before = _feed_events(feed)[calendars.run_uid(run.pk)]
    assert before.decoded("DTEND").astimezone(WARSAW).strftime("%H:%M") == "09:45"
    phases = exercise_services.exercise_plan_of(exercise=exercise)
    phases.phases[1].planned_minutes = 60  # the crisis phase doubles: the run ends 30 minutes later
    exercise_services.exercise_update(exercise=exercise, data={}, plan=phases)
    after = _feed_events(feed)[calendars.run_uid(run.pk)]
    assert after.decoded("DTEND").astimezone(WARSAW).strftime("%H:%M") == "10:15"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    # A finished run is history; the same plan again changes nothing and bumps nothing.
    finished.refresh_from_db()
    assert finished.sequence == 0
    exercise_services.exercise_update(
        exercise=exercise, data={}, plan=exercise_services.exercise_plan_of(exercise=exercise)
    )
    assert _feed_events(feed)[calendars.run_uid(run.pk)]["SEQUENCE"] == after["SEQUENCE"]


def test_a_runs_sequence_goes_up_when_the_planned_duration_of_an_exercise_without_phases_changes(plan):
    feed = _cohort_feed(plan)
    run = plan["run"]
    run.exercise.phases.all().delete()
    before = _feed_events(feed)[calendars.run_uid(run.pk)]
    exercise_services.exercise_update(
        exercise=run.exercise, data={"planned_minutes": run.exercise.planned_minutes + 30}
    )
    after = _feed_events(feed)[calendars.run_uid(run.pk)]
    assert after.decoded("DTEND") - before.decoded("DTEND") == dt.timedelta(minutes=30)
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_a_cancelled_run_is_marked_cancelled_in_a_scheduled_session(plan):
    run = plan["run"]
    ExerciseRun.objects.filter(pk=run.pk).update(status=ExerciseRun.Status.CANCELLED)
    events = _feed_events(_cohort_feed(plan))
    assert str(events[calendars.run_uid(run.pk)]["STATUS"]) == "CANCELLED"
    assert str(events[calendars.session_uid(plan["simulation"].pk)]["STATUS"]) == "CONFIRMED"


def test_a_run_without_a_session_has_no_event(plan):
    unscheduled = ExerciseRunFactory(cohort=plan["cohort"], session=None)
    events = _feed_events(_cohort_feed(plan))
    assert calendars.run_uid(unscheduled.pk) not in events
    assert calendars.calendar_run_events(run=unscheduled) == []


# --- whose feed shows what ------------------------------------------------------------------------


@pytest.fixture
def two_cohorts(plan):
    """The plan's cohort (with two teams in its run) and another cohort; a participant in the first."""
    run = plan["run"]
    ours = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise, name="Police", number=1))
    rival = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise, name="NGO", number=2))
    participant = ParticipantFactory()
    enrolment = EnrolmentFactory(cohort=plan["cohort"], participant=participant)
    TeamMembershipFactory(run=run, team=ours, enrolment=enrolment)
    TeamMembershipFactory(run=run, team=rival)
    teams_confirm(run)
    other_cohort = CohortFactory(name="Sofia 2026", time_zone="Europe/Sofia")
    other_session = SessionFactory(cohort=other_cohort, title="Sofia only")
    return {**plan, "participant": participant, "other_session": other_session, "ours": ours, "rival": rival}


def test_a_participants_feed_holds_only_their_cohorts_and_names_only_their_team(two_cohorts):
    user = two_cohorts["participant"].user
    content = calendars.calendar_feed_content(feed=feeds.calendar_feed_create(by=user))
    events = _events(content)
    assert calendars.session_uid(two_cohorts["simulation"].pk) in events
    assert calendars.session_uid(two_cohorts["other_session"].pk) not in events
    assert b"Sofia only" not in content
    description = str(events[calendars.run_uid(two_cohorts["run"].pk)]["DESCRIPTION"])
    assert "Your team: Team 1: Police" in description
    # Another team's name and every briefing stay out of the feed, the person's own included.
    assert "NGO" not in content.decode()
    assert two_cohorts["ours"].team_role.briefing not in content.decode()
    assert two_cohorts["rival"].team_role.briefing not in content.decode()


def test_a_cohort_feed_names_no_team(two_cohorts):
    content = calendars.calendar_feed_content(feed=_cohort_feed(two_cohorts)).decode()
    assert "Your team" not in content
    assert "Police" not in content


def test_a_facilitators_feed_holds_the_cohorts_they_run(two_cohorts):
    facilitator = FacilitatorFactory()
    two_cohorts["other_session"].cohort.facilitators.add(facilitator)
    events = _feed_events(feeds.calendar_feed_create(by=facilitator))
    assert set(events) == {calendars.session_uid(two_cohorts["other_session"].pk)}


def test_a_withdrawn_participants_feed_is_empty(two_cohorts):
    participant = two_cohorts["participant"]
    feed = feeds.calendar_feed_create(by=participant.user)
    for enrolment in Enrolment.objects.filter(participant=participant):
        enrolment_status_change(enrolment=enrolment, status=Enrolment.Status.WITHDRAWN, by=None)
    feed.refresh_from_db()
    assert _feed_events(feed) == {}


def test_a_persons_feed_speaks_their_preferred_language(two_cohorts, monkeypatch):
    """Nobody signs in to fetch a feed, so the request has no language: the person's profile gives it."""
    participant = two_cohorts["participant"]
    participant.user.language = "pl"
    participant.user.save()
    feed = feeds.calendar_feed_create(by=participant.user)
    spoken = []
    build = calendars.calendar_build

    def spy(**kwargs):
        spoken.append(translation.get_language())
        return build(**kwargs)

    monkeypatch.setattr(calendars, "calendar_build", spy)
    calendars.calendar_feed_content(feed=feed)
    assert spoken == ["pl"]
    assert translation.get_language() != "pl"


def _add_sessions(cohort, count: int) -> None:
    for index in range(count):
        starts_at = dt.datetime.combine(cohort.start_date, dt.time(8, 0), tzinfo=WARSAW) + dt.timedelta(
            minutes=10 * index
        )
        session = SessionFactory(cohort=cohort, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=5))
        run = ExerciseRunFactory(cohort=cohort, session=session)
        PhaseFactory(exercise=run.exercise, planned_minutes=5)


def _feed_queries(feed_id: int) -> int:
    with CaptureQueriesContext(connection) as context:
        feed = calendars.calendar_feed_get_live(token=CalendarFeed.objects.get(pk=feed_id).token)
        assert feed is not None
        calendars.calendar_feed_content(feed=feed)
    return len(context.captured_queries)


@pytest.mark.parametrize("kind", ["cohort", "person"])
def test_a_feed_costs_the_same_queries_for_5_and_for_50_sessions(two_cohorts, kind):
    cohort = two_cohorts["cohort"]
    user = two_cohorts["participant"].user
    feed = _cohort_feed(two_cohorts) if kind == "cohort" else feeds.calendar_feed_create(by=user)
    _add_sessions(cohort, 3)  # 5 sessions with the fixture's two
    small = _feed_queries(feed.pk)
    _add_sessions(cohort, 45)
    assert len(_feed_events(feed)) == 50 + 49  # every session, and the runs of 49 of them
    assert _feed_queries(feed.pk) == small
