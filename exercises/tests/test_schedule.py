"""Exercise runs in the schedule: their conflict rules, moving with their session, the run pages and API."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
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


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=WARSAW)


def _cohort(**kwargs: object) -> Cohort:
    return CohortFactory(start_date=DAY, end_date=DAY + dt.timedelta(days=4), **kwargs)


def _exercise(*minutes: int, name: str = "Crisis simulation"):  # type: ignore[no-untyped-def]
    exercise = ExerciseFactory(name=name, planned_minutes=sum(minutes))
    for order, length in enumerate(minutes, start=1):
        PhaseFactory(exercise=exercise, order=order, name=f"Phase {order}", planned_minutes=length)
    TeamRoleFactory(exercise=exercise)
    return exercise


# --- a session shorter than its run's phases (soft) -------------------------------------------


def test_a_run_longer_than_its_session_is_saved_with_a_warning():
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    run = services.exercise_run_create(exercise=_exercise(15, 15, 30, 15), cohort=cohort, session=session)
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
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11))
    run = services.exercise_run_create(exercise=_exercise(45, 45), cohort=cohort, session=session)
    assert run_warnings(run=run) == []
    _move(session, {"ends_at": _at(10)})
    session.refresh_from_db()
    assert session.ends_at == _at(10)
    assert [w.code for w in schedule_warnings(session=session)] == ["run_too_long"]


def test_a_run_without_phases_is_judged_by_its_planned_duration():
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(10))
    run = services.exercise_run_create(exercise=ExerciseFactory(planned_minutes=90), cohort=cohort, session=session)
    assert [w.code for w in run_warnings(run=run)] == ["run_too_long"]


# --- a lead facilitator leading two runs at once (hard) ----------------------------------------


def test_a_lead_facilitator_leading_another_run_at_once_is_refused():
    lead = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    elsewhere = _cohort(name="Cohort B", venue="Sofia")  # Anna is not one of its facilitators
    other_session = SessionFactory(cohort=elsewhere, starts_at=_at(9), ends_at=_at(10, 30))
    ExerciseRunFactory(
        cohort=elsewhere, session=other_session, lead_facilitator=lead, exercise=_exercise(30, name="Interviews")
    )
    cohort = _cohort(venue="Warsaw", facilitators=[lead])
    session = SessionFactory(cohort=cohort, starts_at=_at(10), ends_at=_at(12))
    with pytest.raises(ScheduleConflictError) as excinfo:
        services.exercise_run_create(exercise=_exercise(60), cohort=cohort, session=session, lead_facilitator=lead)
    [conflict] = excinfo.value.conflicts
    assert (conflict.code, conflict.clashes_with) == ("lead_facilitator_booked", other_session)
    assert conflict.message == (
        "Anna Nowak already leads “Interviews” May 13, 2030 09:00–10:30 (Europe/Warsaw) in Cohort B."
    )
    assert ExerciseRun.objects.filter(cohort=cohort).count() == 0
    assert RunTeam.objects.filter(run__cohort=cohort).count() == 0


def test_a_lead_who_facilitates_the_other_cohort_is_reported_once():
    lead = FacilitatorFactory()
    elsewhere = _cohort(facilitators=[lead], venue="Sofia")
    other_session = SessionFactory(cohort=elsewhere, starts_at=_at(9), ends_at=_at(11))
    ExerciseRunFactory(cohort=elsewhere, session=other_session, lead_facilitator=lead)
    cohort = _cohort(venue="Warsaw", facilitators=[lead])
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11)))
    with pytest.raises(ScheduleConflictError) as excinfo:
        services.exercise_run_update(run=run, data={"lead_facilitator": lead})
    assert len(excinfo.value.conflicts) == 1
    run.refresh_from_db()
    assert run.lead_facilitator is None


def test_a_lead_facilitator_free_at_that_time_is_accepted():
    lead = FacilitatorFactory()
    elsewhere = _cohort(venue="Sofia")
    ExerciseRunFactory(
        cohort=elsewhere,
        session=SessionFactory(cohort=elsewhere, starts_at=_at(9), ends_at=_at(10)),
        lead_facilitator=lead,
    )
    cohort = _cohort(venue="Warsaw", facilitators=[lead])
    session = SessionFactory(cohort=cohort, starts_at=_at(10), ends_at=_at(12))
    run = services.exercise_run_create(exercise=_exercise(60), cohort=cohort, session=session, lead_facilitator=lead)
    assert run.lead_facilitator == lead


def test_a_run_in_a_cancelled_session_does_not_book_its_lead():
    lead = FacilitatorFactory()
    elsewhere = _cohort(venue="Sofia")
    cancelled = SessionFactory(cohort=elsewhere, starts_at=_at(9), ends_at=_at(11), status=Session.Status.CANCELLED)
    ExerciseRunFactory(cohort=elsewhere, session=cancelled, lead_facilitator=lead)
    cohort = _cohort(venue="Warsaw", facilitators=[lead])
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11))
    assert services.exercise_run_create(exercise=_exercise(60), cohort=cohort, session=session, lead_facilitator=lead)


def test_moving_a_session_onto_its_leads_other_run_is_refused():
    lead = FacilitatorFactory()
    elsewhere = _cohort(venue="Sofia")
    ExerciseRunFactory(
        cohort=elsewhere,
        session=SessionFactory(cohort=elsewhere, starts_at=_at(14), ends_at=_at(16)),
        lead_facilitator=lead,
    )
    cohort = _cohort(venue="Warsaw")
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11))
    ExerciseRunFactory(cohort=cohort, session=session, lead_facilitator=lead)
    with pytest.raises(ScheduleConflictError) as excinfo:
        _move(session, {"starts_at": _at(14), "ends_at": _at(16)})
    assert [c.code for c in excinfo.value.conflicts] == ["lead_facilitator_booked"]
    session.refresh_from_db()
    assert session.starts_at == _at(9)


# --- moving a session moves its run ----------------------------------------------------------


def test_moving_a_session_moves_its_runs_planned_phases_and_bumps_the_sequence():
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11))
    run = services.exercise_run_create(exercise=_exercise(15, 30, 15), cohort=cohort, session=session)
    session.refresh_from_db()
    sequence = session.sequence
    assert [p.starts_at for p in exercise_run_phase_plan(run=run)] == [_at(9), _at(9, 15), _at(9, 45)]

    next_day = dt.timedelta(days=1, hours=5)
    _move(session, {"starts_at": _at(9) + next_day, "ends_at": _at(11) + next_day})

    run = ExerciseRun.objects.select_related("session", "exercise").get(pk=run.pk)
    assert run.session_id == session.pk
    assert [(p.starts_at, p.ends_at) for p in exercise_run_phase_plan(run=run)] == [
        (_at(14) + dt.timedelta(days=1), _at(14, 15) + dt.timedelta(days=1)),
        (_at(14, 15) + dt.timedelta(days=1), _at(14, 45) + dt.timedelta(days=1)),
        (_at(14, 45) + dt.timedelta(days=1), _at(15) + dt.timedelta(days=1)),
    ]
    assert run.session.sequence == sequence + 1
    [day] = cohort_schedule(cohort=cohort)
    assert day.date == DAY + dt.timedelta(days=1)
    assert day.entries[0].phases[0].starts_at == _at(14) + dt.timedelta(days=1)


def test_a_started_run_keeps_its_sessions_times():
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11))
    ExerciseRunFactory(cohort=cohort, session=session, status=ExerciseRun.Status.RUNNING)
    with pytest.raises(ScheduleConflictError) as excinfo:
        _move(session, {"starts_at": _at(10), "ends_at": _at(12)})
    assert [c.code for c in excinfo.value.conflicts] == ["run_started"]
    session.refresh_from_db()
    assert session.starts_at == _at(9)
    _move(session, {"room": "Room 9"})  # the place may change


def test_putting_a_run_in_a_session_or_taking_it_out_bumps_both_sessions():
    cohort = _cohort()
    first = SessionFactory(cohort=cohort, starts_at=_at(9), ends_at=_at(11))
    second = SessionFactory(cohort=cohort, starts_at=_at(14), ends_at=_at(16))
    run = services.exercise_run_create(exercise=_exercise(30), cohort=cohort, session=first)
    services.exercise_run_update(run=run, data={"session": second})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.sequence, second.sequence) == (2, 1)


def test_a_run_cannot_be_put_in_a_cancelled_session():
    cohort = _cohort()
    cancelled = SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_create(exercise=_exercise(30), cohort=cohort, session=cancelled)
    assert "cancelled" in excinfo.value.message_dict["session"][0]
    assert not ExerciseRun.objects.exists()


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def planning():  # type: ignore[no-untyped-def]
    lead = FacilitatorFactory(first_name="Lena", last_name="Vogel")
    cohort = _cohort(facilitators=[lead], venue="Warsaw")
    session = SessionFactory(cohort=cohort, title="Morning", starts_at=_at(9), ends_at=_at(10))
    return cohort, session, lead


def test_coordinator_schedules_a_run_from_the_page_and_sees_the_warning(client, planning):
    cohort, session, lead = planning
    exercise = _exercise(45, 45)
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_create", kwargs={"slug": cohort.slug})
    page = client.get(url, {"session": session.pk})
    assert page.status_code == 200
    assert f'<option value="{session.pk}" selected>' in page.content.decode()
    response = client.post(
        url, {"exercise": exercise.pk, "session": session.pk, "lead_facilitator": lead.pk}, follow=True
    )
    run = ExerciseRun.objects.get(cohort=cohort)
    assert (run.session, run.lead_facilitator, run.exercise) == (session, lead, exercise)
    html = response.content.decode()
    assert "runs 30 minutes long" in html
    assert "Runs long" in html  # the agenda's mark on the session
    assert response.redirect_chain[-1][0].startswith(reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug}))


def test_a_refused_run_shows_its_conflicts_and_saves_nothing(client, planning):
    cohort, session, lead = planning
    elsewhere = _cohort(name="Cohort B", venue="Sofia")
    ExerciseRunFactory(
        cohort=elsewhere,
        session=SessionFactory(cohort=elsewhere, starts_at=_at(9), ends_at=_at(10)),
        lead_facilitator=lead,
    )
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("exercises:run_create", kwargs={"slug": cohort.slug}),
        {"exercise": _exercise(30).pk, "session": session.pk, "lead_facilitator": lead.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: it clashes with other bookings" in html
    assert "Lena Vogel" in html
    assert "Cohort B" in html
    assert not ExerciseRun.objects.filter(cohort=cohort).exists()


def test_coordinator_moves_a_run_to_another_session(client, planning):
    cohort, session, _lead = planning
    later = SessionFactory(cohort=cohort, title="Afternoon", starts_at=_at(14), ends_at=_at(16))
    run = ExerciseRunFactory(cohort=cohort, session=session, exercise=_exercise(30))
    client.force_login(CoordinatorFactory())
    response = client.post(reverse("exercises:run_update", kwargs={"pk": run.pk}), {"session": later.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.session == later


def test_the_run_form_offers_free_scheduled_sessions_of_the_cohort_only(client, planning):
    cohort, _session, _lead = planning
    taken = SessionFactory(cohort=cohort, title="Taken", starts_at=_at(11), ends_at=_at(12))
    ExerciseRunFactory(cohort=cohort, session=taken)
    SessionFactory(cohort=cohort, title="Called off", starts_at=_at(13), ends_at=_at(14), status="cancelled")
    SessionFactory(title="Another cohort's")
    client.force_login(CoordinatorFactory())
    html = client.get(reverse("exercises:run_create", kwargs={"slug": cohort.slug})).content.decode()
    assert "2030-05-13 09:00–10:00 · Morning" in html
    for absent in ("Taken", "Called off", "Another cohort&#x27;s"):
        assert absent not in html


def test_the_run_form_offers_the_cohorts_facilitators_as_leads_only(client, planning):
    cohort, session, _lead = planning
    outsider = FacilitatorFactory(first_name="Olga", last_name="Petrova")
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_create", kwargs={"slug": cohort.slug})
    html = client.get(url).content.decode()
    assert "Lena Vogel" in html
    assert "Olga Petrova" not in html
    response = client.post(url, {"exercise": _exercise(30).pk, "session": session.pk, "lead_facilitator": outsider.pk})
    assert response.status_code == 200
    assert "lead_facilitator" in response.context["form"].errors
    assert not ExerciseRun.objects.filter(cohort=cohort).exists()


def test_the_run_form_keeps_a_started_run_in_its_session(client, planning):
    cohort, session, lead = planning
    later = SessionFactory(cohort=cohort, title="Afternoon", starts_at=_at(14), ends_at=_at(16))
    run = ExerciseRunFactory(cohort=cohort, session=session, exercise=_exercise(30), status=ExerciseRun.Status.PAUSED)
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_update", kwargs={"pk": run.pk})
    page = client.get(url)
    assert page.context["form"].fields["session"].disabled
    assert "The run has started: it stays in its session." in page.content.decode()
    response = client.post(url, {"session": later.pk, "lead_facilitator": lead.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.session, run.lead_facilitator) == (session, lead)


def test_only_coordinators_schedule_runs(client, planning):
    # Participants get the same answers: see tests/walk_schedule.py (enrolments are a higher layer).
    cohort, session, lead = planning
    run = ExerciseRunFactory(cohort=cohort, session=session)
    client.force_login(lead)
    create = reverse("exercises:run_create", kwargs={"slug": cohort.slug})
    update = reverse("exercises:run_update", kwargs={"pk": run.pk})
    assert client.get(create).status_code == 403
    assert client.post(create, {"exercise": _exercise(30).pk}).status_code == 403
    assert client.post(update, {"session": ""}).status_code == 403
    run.refresh_from_db()
    assert run.session == session
    client.force_login(FacilitatorFactory())  # facilitates nothing: cannot see the cohort
    assert client.get(create).status_code == 404
    assert client.get(update).status_code == 404


def test_the_run_form_page_keeps_its_query_count_as_sessions_grow(client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    small = _cohort(facilitators=[FacilitatorFactory()])
    SessionFactory(cohort=small, starts_at=_at(9), ends_at=_at(10))
    large = _cohort(facilitators=FacilitatorFactory.create_batch(3))
    for n in range(50):
        start = _at(8) + dt.timedelta(days=n % 5, minutes=20 * (n // 5))
        SessionFactory(cohort=large, starts_at=start, ends_at=start + dt.timedelta(minutes=15))
    ExerciseFactory.create_batch(5)
    url_small = reverse("exercises:run_create", kwargs={"slug": small.slug})
    url_large = reverse("exercises:run_create", kwargs={"slug": large.slug})
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url_small).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url_large).status_code == 200


# --- API -------------------------------------------------------------------------------------


def test_api_run_create_returns_warnings_for_a_run_that_runs_long(api_client, planning):
    cohort, session, lead = planning
    api_client.force_login(CoordinatorFactory())
    response = api_client.post(
        f"{API}/exercise-runs/",
        {"exercise": _exercise(45, 45).pk, "cohort": cohort.pk, "session": session.pk, "lead_facilitator": lead.pk},
    )
    assert response.status_code == 201, response.content
    [warning] = response.json()["warnings"]
    assert (warning["code"], warning["severity"], warning["clashes_with"]) == ("run_too_long", "soft", None)
    assert ExerciseRun.objects.filter(cohort=cohort, session=session).exists()


def test_api_run_update_refuses_a_busy_lead_with_the_conflicts(api_client, planning):
    cohort, session, lead = planning
    run = ExerciseRunFactory(cohort=cohort, session=session, exercise=_exercise(30))
    elsewhere = _cohort(name="Cohort B", venue="Sofia")
    other_session = SessionFactory(cohort=elsewhere, starts_at=_at(9), ends_at=_at(10))
    ExerciseRunFactory(cohort=elsewhere, session=other_session, lead_facilitator=lead)
    api_client.force_login(CoordinatorFactory())
    response = api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"lead_facilitator": lead.pk})
    assert response.status_code == 400
    body = response.json()
    [conflict] = body["conflicts"]
    assert (conflict["code"], conflict["severity"]) == ("lead_facilitator_booked", "hard")
    assert conflict["clashes_with"]["id"] == other_session.pk
    assert body["non_field_errors"]
    run.refresh_from_db()
    assert run.lead_facilitator is None


def test_schedule_checks_list_every_apps_checks_once():
    """The one place that composes the schedule checks holds trainings', participants' and exercises'."""
    checkers = [check.checker for check in SCHEDULE_CHECKS]
    assert len(checkers) == len(set(checkers))
    assert {c.checker for c in (*TRAININGS_CHECKS, *PARTICIPANTS_CHECKS)} <= set(checkers)
    assert {c.__module__ for c in checkers} == {"trainings.conflicts", "participants.conflicts", "exercises.conflicts"}


def test_adding_a_facilitator_booked_elsewhere_during_a_session_is_refused():
    anna = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    mine = _cohort(venue="Warsaw")
    SessionFactory(cohort=mine, starts_at=_at(9), ends_at=_at(11))
    theirs = _cohort(name="Cohort B", facilitators=[anna], venue="Sofia")
    SessionFactory(cohort=theirs, title="Interviews", starts_at=_at(10), ends_at=_at(12))
    with pytest.raises(ValidationError) as excinfo:
        training_services.cohort_update(cohort=mine, data={"facilitators": [anna]})
    [message] = excinfo.value.message_dict["facilitators"]
    assert message.startswith("Facilitator Anna Nowak is already booked May 13, 2030 10:00–12:00 (Europe/Warsaw)")
    assert not mine.facilitators.exists()
    # Free at that time (the other session is cancelled): accepted.
    theirs.sessions.update(status=Session.Status.CANCELLED)
    training_services.cohort_update(cohort=mine, data={"facilitators": [anna]})
    assert list(mine.facilitators.all()) == [anna]
    # Already one of them: keeping her is not re-judged.
    training_services.cohort_update(cohort=mine, data={"facilitators": [anna], "name": "Renamed"})
