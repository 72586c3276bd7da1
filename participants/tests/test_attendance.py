"""Attendance per session: the cohort's staff record it (page and API), participants cannot."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import FacilitatorFactory
from core.exceptions import ApplicationError
from participants.attendance import attendance_mark_all_present, attendance_record, session_attendance_sheet
from participants.models import Attendance
from participants.tests.factories import EnrolmentFactory
from trainings.models import Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(facilitator):
    return SessionFactory(cohort=CohortFactory(facilitators=[facilitator]))


def _people(session, count: int = 3):
    return [EnrolmentFactory(cohort=session.cohort, status="enrolled") for _ in range(count)]


def _statuses(session) -> dict[int, str]:
    return dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))


def test_the_sheet_lists_people_holding_a_place_and_anyone_already_recorded(session):
    enrolled, invited = (
        EnrolmentFactory(cohort=session.cohort),
        EnrolmentFactory(cohort=session.cohort, status="invited"),
    )
    left = EnrolmentFactory(cohort=session.cohort, status="enrolled")
    gone = EnrolmentFactory(cohort=session.cohort, status="withdrawn")
    EnrolmentFactory(cohort=session.cohort, status="waitlisted", waitlisted_at=session.starts_at)
    EnrolmentFactory(status="enrolled")  # another cohort
    attendance_record(session=session, records={left.pk: "present"}, by=None)
    left.status = "withdrawn"  # withdrew after the session: keeps their record
    left.save()
    listed = {line.enrolment.pk for line in session_attendance_sheet(session=session)}
    assert listed == {enrolled.pk, invited.pk, left.pk}
    assert gone.pk not in listed


def test_recording_again_updates_and_an_empty_status_removes(session, facilitator):
    ana, bob, cem = _people(session)
    attendance_record(session=session, records={ana.pk: "present", bob.pk: "late", cem.pk: ""}, by=facilitator)
    assert _statuses(session) == {ana.pk: "present", bob.pk: "late"}
    first = Attendance.objects.get(enrolment=ana)
    attendance_record(session=session, records={ana.pk: "excused", bob.pk: "", cem.pk: "absent"}, by=None)
    assert _statuses(session) == {ana.pk: "excused", cem.pk: "absent"}
    assert Attendance.objects.get(enrolment=ana).pk == first.pk  # one record per person and session
    assert Attendance.objects.get(enrolment=ana).recorded_by is None


def test_a_bad_list_saves_nothing(session):
    ana, bob = _people(session, 2)
    stranger = EnrolmentFactory(status="enrolled")
    for records in ({ana.pk: "present", stranger.pk: "present"}, {ana.pk: "present", bob.pk: "asleep"}):
        with pytest.raises(ApplicationError) as excinfo:
            attendance_record(session=session, records=records, by=None)
        assert excinfo.value.field_errors["records"]
        assert _statuses(session) == {}


def test_a_cancelled_session_has_no_attendance(session):
    [ana] = _people(session, 1)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(ApplicationError, match="cancelled"):
        attendance_record(session=session, records={ana.pk: "present"}, by=None)


# --- the page ------------------------------------------------------------------------------------


def test_the_facilitator_records_the_whole_list_in_one_save(client, session, facilitator):
    ana, bob, cem = _people(session)
    url = reverse("participants:attendance", kwargs={"pk": session.pk})
    client.force_login(facilitator)
    page = client.get(url)
    assert page.status_code == 200
    assert {line.enrolment for line, _field in page.context["form"].rows()} == {ana, bob, cem}
    data = {f"status_{ana.pk}": "present", f"status_{bob.pk}": "absent", f"status_{cem.pk}": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assert _statuses(session) == {ana.pk: "present", bob.pk: "absent"}
    assert Attendance.objects.get(enrolment=ana).recorded_by == facilitator
    # The form shows what was recorded.
    assert client.get(url).context["form"][f"status_{bob.pk}"].value() == "absent"


def test_a_bad_choice_on_the_page_saves_nothing(client, session, facilitator):
    ana, bob = _people(session, 2)
    client.force_login(facilitator)
    url = reverse("participants:attendance", kwargs={"pk": session.pk})
    response = client.post(url, {f"status_{ana.pk}": "present", f"status_{bob.pk}": "sleeping"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _statuses(session) == {}


def test_participants_and_other_facilitators_cannot_record(client, session):
    [ana] = _people(session, 1)
    url = reverse("participants:attendance", kwargs={"pk": session.pk})
    client.force_login(ana.participant.user)
    assert client.get(url).status_code == 403
    assert client.post(url, {f"status_{ana.pk}": "present"}).status_code == 403
    client.force_login(FacilitatorFactory())
    assert client.post(url, {f"status_{ana.pk}": "present"}).status_code == 404
    assert _statuses(session) == {}


def test_the_page_costs_the_same_queries_for_5_and_50_people(client, session, facilitator):
    url = reverse("participants:attendance", kwargs={"pk": session.pk})
    client.force_login(facilitator)
    counts = []
    for total in (5, 50):
        _people(session, total - len(session_attendance_sheet(session=session)))
        everyone = {line.enrolment.pk: "present" for line in session_attendance_sheet(session=session)}
        attendance_record(session=session, records=everyone, by=facilitator)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["form"].lines) == total
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


# --- the API -------------------------------------------------------------------------------------


def test_the_api_reads_and_records_the_sheet(api_client, session, facilitator):
    ana, bob = _people(session, 2)
    url = f"/api/v1/sessions/{session.pk}/attendance/"
    api_client.force_login(facilitator)
    sheet = api_client.get(url).json()
    assert {row["enrolment"]: row["status"] for row in sheet} == {ana.pk: None, bob.pk: None}

    response = api_client.post(
        url, {"records": [{"enrolment": ana.pk, "status": "late"}, {"enrolment": bob.pk, "status": "present"}]}
    )
    assert response.status_code == 200, response.content
    rows = {row["enrolment"]: row for row in response.json()}
    assert rows[ana.pk]["status"] == "late"
    assert rows[ana.pk]["recorded_by"]["id"] == facilitator.pk
    assert rows[ana.pk]["participant"]["email"] == ana.participant.user.email

    again = api_client.post(url, {"records": [{"enrolment": ana.pk, "status": None}]})
    assert again.status_code == 200
    assert _statuses(session) == {bob.pk: "present"}


def test_the_api_refuses_bad_lists_and_other_people(api_client, session, facilitator, coordinator):
    [ana] = _people(session, 1)
    stranger = EnrolmentFactory(status="enrolled")
    url = f"/api/v1/sessions/{session.pk}/attendance/"
    api_client.force_login(coordinator)
    for payload in (
        {"records": [{"enrolment": stranger.pk, "status": "present"}]},
        {"records": [{"enrolment": ana.pk, "status": "asleep"}]},
        {"records": [{"enrolment": ana.pk, "status": "present"}, {"enrolment": ana.pk, "status": "late"}]},
        {"records": []},
    ):
        response = api_client.post(url, payload, format="json")
        assert response.status_code == 400, payload
    assert _statuses(session) == {}

    api_client.force_login(ana.participant.user)
    assert api_client.get(url).status_code == 403
    assert api_client.post(url, {"records": [{"enrolment": ana.pk, "status": "present"}]}).status_code == 403
    api_client.force_login(FacilitatorFactory())
    assert api_client.get(url).status_code == 404
    assert _statuses(session) == {}


# --- Mark all present ----------------------------------------------------------------------------------


def test_mark_all_present_marks_the_enrolled_without_a_record_and_keeps_records(session, facilitator):
    ana, bob, cem = _people(session)
    invited = EnrolmentFactory(cohort=session.cohort, status="invited")
    attendance_record(session=session, records={bob.pk: "excused"}, by=None)
    lines = attendance_mark_all_present(session=session, by=facilitator)
    assert _statuses(session) == {ana.pk: "present", bob.pk: "excused", cem.pk: "present"}
    assert invited.pk not in _statuses(session)
    assert Attendance.objects.get(enrolment=ana).recorded_by == facilitator
    assert Attendance.objects.get(enrolment=bob).recorded_by is None
    assert {line.enrolment.pk: line.status for line in lines}[cem.pk] == "present"


def test_mark_all_present_refuses_a_cancelled_session(session, facilitator):
    _people(session, 2)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(ApplicationError):
        attendance_mark_all_present(session=session, by=facilitator)
    assert _statuses(session) == {}


def test_the_page_has_a_mark_all_present_button_for_the_staff_only(client, session, facilitator):
    ana, bob = _people(session, 2)
    url = reverse("participants:attendance", kwargs={"pk": session.pk})
    client.force_login(facilitator)
    assert 'name="mark_all_present"' in client.get(url).content.decode()
    response = client.post(url, {"mark_all_present": "1"})
    assert response.status_code == 302
    assert _statuses(session) == {ana.pk: "present", bob.pk: "present"}
    client.force_login(FacilitatorFactory())  # another cohort's facilitator
    Attendance.objects.all().delete()
    assert client.post(url, {"mark_all_present": "1"}).status_code == 404
    client.force_login(ana.participant.user)
    assert client.post(url, {"mark_all_present": "1"}).status_code in (403, 404)
    assert _statuses(session) == {}


def test_the_api_marks_all_present_with_the_same_permission(api_client, session, facilitator):
    ana, bob = _people(session, 2)
    url = reverse("api:session-attendance-all-present", kwargs={"pk": session.pk})
    api_client.force_authenticate(ana.participant.user)
    assert api_client.post(url).status_code in (403, 404)
    assert _statuses(session) == {}
    api_client.force_authenticate(facilitator)
    response = api_client.post(url)
    assert response.status_code == 200
    assert {line["enrolment"]: line["status"] for line in response.json()} == {
        ana.pk: "present",
        bob.pk: "present",
    }
