"""A participant in two overlapping sessions: the check the participants layer adds to the schedule."""

import datetime as dt
import zoneinfo

import pytest

from participants.conflicts import PARTICIPANTS_CHECKS
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings import services
from trainings.conflicts import TRAININGS_CHECKS, ScheduleConflictError
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
API = "/api/v1"


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 5, 14, hour, minute, tzinfo=WARSAW)


def _cohort(name: str, venue: str) -> Cohort:
    return CohortFactory(name=name, venue=venue, start_date=dt.date(2030, 5, 13), end_date=dt.date(2030, 5, 17))


@pytest.fixture
def two_cohorts():  # type: ignore[no-untyped-def]
    """Jan Kowalski is in both cohorts; cohort B has a session 09:00–10:30 on 14 May."""
    mine, theirs = _cohort("Cohort A", "Warsaw"), _cohort("Cohort B", "Sofia")
    jan = ParticipantFactory(user__first_name="Jan", user__last_name="Kowalski")
    EnrolmentFactory(cohort=mine, participant=jan)
    EnrolmentFactory(cohort=theirs, participant=jan)
    other = SessionFactory(cohort=theirs, title="Interviews", starts_at=_at(9), ends_at=_at(10, 30), room="")
    return mine, theirs, jan, other


def _create(cohort: Cohort, start: dt.datetime, end: dt.datetime) -> Session:
    return services.session_create(
        cohort=cohort,
        title="Simulation",
        starts_at=start,
        ends_at=end,
        checks=(*TRAININGS_CHECKS, *PARTICIPANTS_CHECKS),
    )


def test_a_participant_in_two_overlapping_sessions_is_refused(two_cohorts):
    mine, _theirs, _jan, other = two_cohorts
    with pytest.raises(ScheduleConflictError) as excinfo:
        _create(mine, _at(10), _at(12))
    [conflict] = excinfo.value.conflicts
    assert (conflict.code, conflict.severity, conflict.clashes_with) == ("participant_booked", "hard", other)
    assert conflict.message == (
        "1 participant (Jan Kowalski) is also in Cohort B: “Interviews” 14 May 2030 09:00–10:30 (Europe/Warsaw)."
    )
    assert not mine.sessions.exists()


def test_the_same_people_at_another_time_are_free(two_cohorts):
    mine, *_ = two_cohorts
    assert _create(mine, _at(10, 30), _at(12)).pk


@pytest.mark.parametrize(
    "status", [Enrolment.Status.WAITLISTED, Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED]
)
def test_people_not_expected_in_the_other_cohort_are_free(two_cohorts, status):
    mine, theirs, jan, _other = two_cohorts
    Enrolment.objects.filter(cohort=theirs, participant=jan).update(
        status=status, waitlisted_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    assert _create(mine, _at(10), _at(12)).pk


def test_an_invited_participant_counts(two_cohorts):
    mine, _theirs, jan, _other = two_cohorts
    Enrolment.objects.filter(cohort=mine, participant=jan).update(status=Enrolment.Status.INVITED)
    with pytest.raises(ScheduleConflictError):
        _create(mine, _at(10), _at(12))


def test_many_people_are_named_a_few_at_a_time(two_cohorts):
    mine, theirs, _jan, _other = two_cohorts
    for n in range(6):
        person = ParticipantFactory(user__last_name=f"Zz{n}")
        EnrolmentFactory(cohort=mine, participant=person)
        EnrolmentFactory(cohort=theirs, participant=person)
    with pytest.raises(ScheduleConflictError) as excinfo:
        _create(mine, _at(10), _at(12))
    [conflict] = excinfo.value.conflicts
    assert conflict.message.startswith("7 participants (Jan Kowalski, ")
    assert "and 2 more" in conflict.message


def test_the_api_explains_a_participant_clash(api_client, coordinator, two_cohorts):
    mine, *_ = two_cohorts
    api_client.force_login(coordinator)
    response = api_client.post(
        f"{API}/sessions/",
        {
            "cohort": mine.pk,
            "title": "Simulation",
            "starts_at": "2030-05-14T10:00:00+02:00",
            "ends_at": "2030-05-14T11:00:00+02:00",
        },
    )
    assert response.status_code == 400
    assert [c["code"] for c in response.json()["conflicts"]] == ["participant_booked"]
    assert not mine.sessions.exists()
