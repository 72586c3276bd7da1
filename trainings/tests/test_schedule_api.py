"""The sessions API with conflicts: 400 with ``conflicts`` for hard ones, ``cancel`` and ``reinstate`` as actions."""

import datetime as dt
import zoneinfo

import pytest

from accounts.tests.factories import FacilitatorFactory
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
API = "/api/v1"


def _cohort(**kwargs: object) -> Cohort:
    return CohortFactory(start_date=dt.date(2030, 5, 13), end_date=dt.date(2030, 5, 17), **kwargs)


def _payload(cohort: Cohort, **overrides: object) -> dict:
    payload = {
        "cohort": cohort.pk,
        "title": "Crisis simulation",
        "starts_at": "2030-05-14T09:00:00+02:00",
        "ends_at": "2030-05-14T10:30:00+02:00",
        "room": "Room 2",
    }
    payload.update(overrides)
    return payload


def test_a_clean_session_is_created_with_no_warnings(api_client, coordinator):
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/", _payload(_cohort()))
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == []
    assert response.json()["time_zone"] == "Europe/Warsaw"


def test_a_hard_conflict_answers_400_with_every_conflict_and_saves_nothing(api_client, coordinator):
    anna = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    mine = _cohort(facilitators=[anna], venue="Centre")
    theirs = _cohort(name="Cohort B", facilitators=[anna], venue="Centre")
    other = SessionFactory(
        cohort=theirs,
        title="Interviews",
        starts_at=dt.datetime(2030, 5, 14, 9, 30, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 11, tzinfo=WARSAW),
        room="ROOM 2",
    )
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/", _payload(mine))
    assert response.status_code == 400
    body = response.json()
    assert body["non_field_errors"] == ["This clashes with 2 other bookings; nothing was saved."]
    assert sorted(c["code"] for c in body["conflicts"]) == ["facilitator_booked", "room_taken"]
    for conflict in body["conflicts"]:
        assert conflict["severity"] == "hard"
        assert conflict["clashes_with"]["id"] == other.pk
        assert conflict["clashes_with"]["cohort"] == theirs.pk
        assert "09:30–11:00 (Europe/Warsaw)" in conflict["message"]
    assert not mine.sessions.exists()


def test_moving_a_session_into_a_clash_answers_400_and_keeps_it(api_client, coordinator):
    cohort = _cohort()
    SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 10, tzinfo=WARSAW),
    )
    later = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2030, 5, 14, 14, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 15, tzinfo=WARSAW),
    )
    api_client.force_login(coordinator)
    response = api_client.patch(
        f"{API}/sessions/{later.pk}/",
        {"starts_at": "2030-05-14T09:30:00+02:00", "ends_at": "2030-05-14T10:30:00+02:00"},
    )
    assert response.status_code == 400
    assert [c["code"] for c in response.json()["conflicts"]] == ["cohort_overlap"]
    later.refresh_from_db()
    assert (later.starts_at.hour, later.sequence) == (12, 0)  # 14:00 in Warsaw is 12:00 UTC


def test_field_errors_still_come_as_fields(api_client, coordinator):
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/", _payload(_cohort(), ends_at="2030-05-14T08:00:00+02:00"))
    assert response.status_code == 400
    assert "ends_at" in response.json()
    assert "conflicts" not in response.json()


def test_cancel_action_cancels_once(api_client, coordinator):
    session = SessionFactory(cohort=_cohort())
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/{session.pk}/cancel/", {"reason": "Strike at the airport."})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["sequence"]) == ("cancelled", 1)
    again = api_client.post(f"{API}/sessions/{session.pk}/cancel/", {})
    assert again.status_code == 400
    assert "already cancelled" in again.json()["non_field_errors"][0]
    too_long = api_client.post(f"{API}/sessions/{SessionFactory(cohort=_cohort()).pk}/cancel/", {"reason": "x" * 1001})
    assert too_long.status_code == 400
    assert "reason" in too_long.json()


def test_only_coordinators_cancel(api_client):
    facilitator = FacilitatorFactory()
    session = SessionFactory(cohort=_cohort(facilitators=[facilitator]))
    hidden = SessionFactory(cohort=_cohort())
    assert api_client.post(f"{API}/sessions/{session.pk}/cancel/").status_code in (401, 403)
    api_client.force_login(facilitator)
    assert api_client.post(f"{API}/sessions/{session.pk}/cancel/").status_code == 403
    assert api_client.post(f"{API}/sessions/{hidden.pk}/cancel/").status_code == 404
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 0


def test_a_patch_cannot_change_the_status(api_client, coordinator):
    # Cancelling goes through the cancel action, which tells people; a PATCH would skip that.
    session = SessionFactory(cohort=_cohort())
    api_client.force_login(coordinator)
    response = api_client.patch(f"{API}/sessions/{session.pk}/", {"status": "cancelled", "room": "Room 9"})
    assert response.status_code == 400
    assert "cancel/" in response.json()["status"][0]
    session.refresh_from_db()
    assert (session.status, session.room, session.sequence) == (Session.Status.SCHEDULED, "Room A", 0)


def test_reinstate_action_schedules_a_cancelled_session_again(api_client, coordinator):
    session = SessionFactory(cohort=_cohort())
    api_client.force_login(coordinator)
    assert api_client.post(f"{API}/sessions/{session.pk}/cancel/", {}).status_code == 200
    response = api_client.post(f"{API}/sessions/{session.pk}/reinstate/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["sequence"], body["warnings"]) == ("scheduled", 2, [])
    again = api_client.post(f"{API}/sessions/{session.pk}/reinstate/")
    assert again.status_code == 400
    assert "not cancelled" in again.json()["non_field_errors"][0]


def test_reinstating_into_a_taken_slot_answers_400_with_the_conflicts(api_client, coordinator):
    cohort = _cohort()
    cancelled = SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    replacement = SessionFactory(cohort=cohort, title="Replacement", starts_at=cancelled.starts_at)
    api_client.force_login(coordinator)
    response = api_client.post(f"{API}/sessions/{cancelled.pk}/reinstate/")
    assert response.status_code == 400
    [conflict] = response.json()["conflicts"]
    assert (conflict["code"], conflict["clashes_with"]["id"]) == ("cohort_overlap", replacement.pk)
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.sequence) == (Session.Status.CANCELLED, 0)


def test_only_coordinators_reinstate(api_client):
    facilitator = FacilitatorFactory()
    session = SessionFactory(cohort=_cohort(facilitators=[facilitator]), status=Session.Status.CANCELLED)
    hidden = SessionFactory(cohort=_cohort(), status=Session.Status.CANCELLED)
    assert api_client.post(f"{API}/sessions/{session.pk}/reinstate/").status_code in (401, 403)
    api_client.force_login(facilitator)
    assert api_client.post(f"{API}/sessions/{session.pk}/reinstate/").status_code == 403
    assert api_client.post(f"{API}/sessions/{hidden.pk}/reinstate/").status_code == 404
    assert Session.objects.filter(status=Session.Status.SCHEDULED).count() == 0


@pytest.mark.parametrize("offset", ["-23:00", "-12:30", "%2B14:30", "%2B23:59"])
def test_a_filter_time_with_an_offset_no_place_uses_answers_400(api_client, coordinator, offset):
    """PostgreSQL refuses such a displacement ("out of range"): it was a 500 there."""
    api_client.force_authenticate(coordinator)
    response = api_client.get(f"{API}/sessions/?starts_at_after=2026-12-01T00:00:00{offset}")
    assert response.status_code == 400
    assert "UTC offset" in response.json()["starts_at"][0]


def test_filter_times_are_read_with_their_offset(api_client, coordinator):
    session = SessionFactory(starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW))  # 07:00 UTC
    api_client.force_authenticate(coordinator)
    for offset, found in (("%2B14:00", {session.pk}), ("-12:00", set())):
        # 20:00+14:00 is 06:00 UTC, before the session (07:00 UTC); 20:00-12:00 is 08:00 UTC the next day.
        response = api_client.get(f"{API}/sessions/?starts_at_after=2030-05-14T20:00:00{offset}")
        assert response.status_code == 200, response.json()
        assert {row["id"] for row in response.json()["results"]} == found
