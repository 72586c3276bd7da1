import datetime as dt
import zoneinfo

import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from core.exceptions import ApplicationError
from trainings import services
from trainings.models import Agency, Cohort, Course, Session
from trainings.tests.factories import (
    AgencyFactory,
    CohortFactory,
    CourseFactory,
    LearningObjectiveFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def _cohort_kwargs(**overrides: object) -> dict:
    start = dt.date(2030, 5, 13)
    kwargs: dict = {
        "course": CourseFactory(),
        "name": "Spring cohort",
        "start_date": start,
        "end_date": start + dt.timedelta(days=4),
        "time_zone": "Europe/Warsaw",
        "capacity": 20,
        "venue": "Training centre",
    }
    kwargs.update(overrides)
    return kwargs


# --- agencies and objectives -----------------------------------------------------------------


def test_agency_create_upper_cases_the_country_and_refuses_a_bad_code():
    agency = services.agency_create(name="Straż Graniczna", kind="border_guard", country="pl")
    assert agency.country == "PL"
    with pytest.raises(ApplicationError) as excinfo:
        services.agency_create(name="Other", kind="police", country="P1")
    assert "country" in excinfo.value.message_dict
    assert Agency.objects.count() == 1


def test_agency_name_is_unique_per_country():
    services.agency_create(name="Police", kind="police", country="RO")
    with pytest.raises(ApplicationError):
        services.agency_create(name="Police", kind="police", country="RO")
    assert services.agency_create(name="Police", kind="police", country="BG").pk


def test_agency_update_changes_only_given_fields():
    agency = AgencyFactory(name="Old", country="DE")
    services.agency_update(agency=agency, data={"name": "New"})
    agency.refresh_from_db()
    assert (agency.name, agency.country) == ("New", "DE")


def test_learning_objective_retire_keeps_it_on_courses():
    objective = LearningObjectiveFactory()
    course = CourseFactory()
    course.learning_objectives.add(objective)
    services.learning_objective_retire(objective=objective)
    objective.refresh_from_db()
    assert objective.is_active is False
    assert list(course.learning_objectives.all()) == [objective]


def test_learning_objective_update_refuses_a_duplicate_code():
    LearningObjectiveFactory(code="lo-1")
    other = LearningObjectiveFactory(code="lo-2")
    with pytest.raises(ApplicationError) as excinfo:
        services.learning_objective_update(objective=other, data={"code": "lo-1"})
    assert "code" in excinfo.value.message_dict
    other.refresh_from_db()
    assert other.code == "lo-2"


# --- courses ---------------------------------------------------------------------------------


def test_course_create_makes_a_unique_slug_and_links_objectives():
    objectives = LearningObjectiveFactory.create_batch(2)
    first = services.course_create(title="Victim identification", learning_objectives=objectives)
    second = services.course_create(title="Victim identification")
    assert first.slug == "victim-identification"
    assert second.slug == "victim-identification-2"
    assert set(first.learning_objectives.all()) == set(objectives)


def test_course_refuses_a_retired_objective_but_keeps_one_already_linked():
    retired = LearningObjectiveFactory(is_active=False)
    with pytest.raises(ApplicationError) as excinfo:
        services.course_create(title="Course", learning_objectives=[retired])
    assert "learning_objectives" in excinfo.value.message_dict
    assert not Course.objects.exists()

    course = CourseFactory()
    course.learning_objectives.add(retired)
    fresh = LearningObjectiveFactory()
    services.course_update(course=course, data={"learning_objectives": [retired, fresh]})
    assert set(course.learning_objectives.all()) == {retired, fresh}


# --- cohorts ---------------------------------------------------------------------------------


def test_cohort_create_saves_people():
    coordinator = CoordinatorFactory()
    facilitator = FacilitatorFactory()
    cohort = services.cohort_create(**_cohort_kwargs(coordinators=[coordinator], facilitators=[facilitator]))
    assert cohort.slug == "spring-cohort"
    assert list(cohort.facilitators.all()) == [facilitator]
    assert list(cohort.coordinators.all()) == [coordinator]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": dt.date(2030, 5, 12)}, "end_date"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"delivery_mode": "online", "venue": ""}, "video_link"),
    ],
)
def test_cohort_create_refuses_bad_input_and_saves_nothing(overrides, field):
    kwargs = _cohort_kwargs(**overrides)
    with pytest.raises(ApplicationError) as excinfo:
        services.cohort_create(**kwargs)
    assert field in excinfo.value.message_dict
    assert Cohort.objects.count() == 0


def test_cohort_create_reports_every_problem_at_once():
    with pytest.raises(ApplicationError) as excinfo:
        services.cohort_create(**_cohort_kwargs(capacity=0, time_zone="Nowhere", end_date=dt.date(2030, 1, 1)))
    assert {"capacity", "time_zone", "end_date"} <= set(excinfo.value.message_dict)
    assert excinfo.value.message_dict["capacity"] == ["Capacity must be at least 1."]


def test_cohort_people_must_hold_the_right_role():
    participant = ParticipantUserFactory()
    with pytest.raises(ApplicationError) as excinfo:
        services.cohort_create(**_cohort_kwargs(coordinators=[participant], facilitators=[participant]))
    assert set(excinfo.value.message_dict) == {"coordinators", "facilitators"}
    assert Cohort.objects.count() == 0


def test_cohort_dates_cannot_leave_its_sessions_outside():
    cohort = CohortFactory(start_date=dt.date(2030, 5, 13), end_date=dt.date(2030, 5, 17))
    SessionFactory(cohort=cohort, starts_at=dt.datetime(2030, 5, 16, 9, tzinfo=WARSAW))
    with pytest.raises(ApplicationError) as excinfo:
        services.cohort_update(cohort=cohort, data={"end_date": dt.date(2030, 5, 14)})
    assert "end_date" in excinfo.value.message_dict
    cohort.refresh_from_db()
    assert cohort.end_date == dt.date(2030, 5, 17)


def test_cohort_update_replaces_facilitators_only_when_given():
    first, second = FacilitatorFactory(), FacilitatorFactory()
    cohort = CohortFactory(facilitators=[first])
    services.cohort_update(cohort=cohort, data={"name": "Renamed"})
    assert list(cohort.facilitators.all()) == [first]
    services.cohort_update(cohort=cohort, data={"facilitators": [second]})
    assert list(cohort.facilitators.all()) == [second]


# --- sessions --------------------------------------------------------------------------------


def _session_cohort() -> Cohort:
    return CohortFactory(start_date=dt.date(2030, 5, 13), end_date=dt.date(2030, 5, 17), time_zone="Europe/Warsaw")


def test_session_create_inside_the_cohort():
    cohort = _session_cohort()
    session = services.session_create(
        cohort=cohort,
        title="Simulation",
        starts_at=dt.datetime(2030, 5, 13, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 13, 10, 30, tzinfo=WARSAW),
    )
    assert session.sequence == 0
    assert session.duration_minutes == 90


def test_session_must_end_after_it_starts():
    cohort = _session_cohort()
    start = dt.datetime(2030, 5, 13, 9, tzinfo=WARSAW)
    with pytest.raises(ApplicationError) as excinfo:
        services.session_create(cohort=cohort, title="Bad", starts_at=start, ends_at=start - dt.timedelta(hours=1))
    assert excinfo.value.message_dict == {"ends_at": ["A session must end after it starts."]}
    assert Session.objects.count() == 0


def test_session_outside_the_cohort_dates_is_judged_in_the_cohorts_time_zone():
    cohort = _session_cohort()
    # 23:30 UTC on 12 May is 01:30 on 13 May in Warsaw: inside the cohort.
    inside = services.session_create(
        cohort=cohort,
        title="Early",
        starts_at=dt.datetime(2030, 5, 12, 23, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 13, 1, 0, tzinfo=dt.UTC),
    )
    assert inside.pk
    # 21:00 UTC on 12 May is 23:00 on 12 May in Warsaw: the day before the cohort starts.
    with pytest.raises(ApplicationError) as excinfo:
        services.session_create(
            cohort=cohort,
            title="Too early",
            starts_at=dt.datetime(2030, 5, 12, 21, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2030, 5, 12, 21, 30, tzinfo=dt.UTC),
        )
    message = excinfo.value.message_dict["starts_at"][0]
    assert "Europe/Warsaw" in message
    assert Session.objects.count() == 1


def test_session_refuses_naive_times():
    cohort = _session_cohort()
    with pytest.raises(ValueError, match="aware"):
        services.session_create(
            cohort=cohort,
            title="Naive",
            starts_at=dt.datetime(2030, 5, 13, 9),  # naive on purpose
            ends_at=dt.datetime(2030, 5, 13, 10),
        )


def test_session_update_bumps_the_sequence_only_on_a_change():
    cohort = _session_cohort()
    session = SessionFactory(cohort=cohort)
    services.session_update(session=session, data={"room": "Room B"})
    assert session.sequence == 1
    services.session_update(session=session, data={"room": "Room B"})
    assert session.sequence == 1
    services.session_cancel(session=session)
    session.refresh_from_db()
    assert (session.sequence, session.status) == (2, "cancelled")


def test_session_update_does_not_change_the_status():
    # Cancelling tells people (session_cancel) and reinstating is checked (session_reinstate): no side door.
    assert "status" not in services.SESSION_FIELDS
    session = SessionFactory(cohort=_session_cohort())
    with pytest.raises(TypeError):
        services.session_update(session=session, data={"status": Session.Status.CANCELLED})
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 0)


def test_session_reinstate_schedules_a_cancelled_session_again_and_bumps_the_sequence():
    session = SessionFactory(cohort=_session_cohort())
    services.session_cancel(session=session)
    services.session_reinstate(session=session)
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 2)
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 2)
    with pytest.raises(ApplicationError, match="is not cancelled"):
        services.session_reinstate(session=session)
    session.refresh_from_db()
    assert session.sequence == 2


def test_session_reinstate_refuses_a_session_now_outside_the_cohorts_dates():
    cohort = _session_cohort()
    session = SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    # While it was cancelled the cohort was moved to end the day before it.
    day = session.starts_at.astimezone(cohort.tz).date()
    Cohort.objects.filter(pk=cohort.pk).update(
        start_date=day - dt.timedelta(days=2), end_date=day - dt.timedelta(days=1)
    )
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    with pytest.raises(ApplicationError) as excinfo:
        services.session_reinstate(session=session)
    assert "cohort's dates" in excinfo.value.message_dict["ends_at"][0]
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_session_update_refuses_a_bad_move_and_keeps_the_row():
    cohort = _session_cohort()
    session = SessionFactory(cohort=cohort)
    original = session.starts_at
    with pytest.raises(ApplicationError):
        services.session_update(session=session, data={"starts_at": session.ends_at + dt.timedelta(hours=1)})
    session.refresh_from_db()
    assert (session.starts_at, session.sequence) == (original, 0)


def test_a_cancel_reason_over_the_limit_is_refused_with_the_one_error_type():
    session = SessionFactory(cohort=_session_cohort())
    with pytest.raises(ApplicationError) as excinfo:
        services.session_cancel(session=session, reason="x" * (services.CANCEL_REASON_MAX + 1))
    assert "reason" in excinfo.value.as_dict()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
