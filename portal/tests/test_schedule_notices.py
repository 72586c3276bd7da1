"""A cancelled session tells its people by email, after the cancellation commits; planning pages and places."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.tests.factories import ExerciseRunFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from portal import services
from portal.tasks import session_cancelled_notify_task
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.fixture
def session() -> Session:
    """A session with two facilitators, a run led by someone else, and people in every status."""
    cohort = CohortFactory(
        name="Warsaw 2030",
        start_date=dt.date(2030, 5, 13),
        end_date=dt.date(2030, 5, 17),
        facilitators=[FacilitatorFactory(email="fac1@example.org"), FacilitatorFactory(email="fac2@example.org")],
    )
    session = SessionFactory(
        cohort=cohort,
        title="Crisis simulation",
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 10, 30, tzinfo=WARSAW),
        room="Room 2",
    )
    ExerciseRunFactory(cohort=cohort, session=session, lead_facilitator=FacilitatorFactory(email="lead@example.org"))
    people = {
        "enrolled@example.org": (Enrolment.Status.ENROLLED, "pl"),
        "invited@example.org": (Enrolment.Status.INVITED, "de"),
        "waitlisted@example.org": (Enrolment.Status.WAITLISTED, "en"),
        "withdrawn@example.org": (Enrolment.Status.WITHDRAWN, "en"),
    }
    for email, (status, language) in people.items():
        EnrolmentFactory(
            cohort=cohort,
            status=status,
            waitlisted_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            participant=ParticipantFactory(user__email=email, user__language=language),
        )
    return session


EXPECTED = ["enrolled@example.org", "fac1@example.org", "fac2@example.org", "invited@example.org", "lead@example.org"]


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_cancelling_emails_each_person_once_after_commit(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.session_cancel(session=session, reason="The venue is flooded.")
        assert mail.outbox == []  # nothing leaves before the cancellation is committed
    assert len(callbacks) == 1
    assert _recipients() == EXPECTED
    assert all(len(message.to) == 1 for message in mail.outbox)
    message = next(m for m in mail.outbox if m.to == ["lead@example.org"])
    assert message.subject == "Cancelled: Crisis simulation, 14 May 2030 09:00–10:30 (Europe/Warsaw)"
    assert "The session “Crisis simulation” of Warsaw 2030 has been cancelled." in message.body
    assert "Room: Room 2" in message.body
    assert "The venue is flooded." in message.body
    assert session.cohort.get_absolute_url() in message.body


def test_a_refused_cancellation_sends_nothing(session, django_capture_on_commit_callbacks):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception, match="already"):
        services.session_cancel(session=session)
    assert callbacks == []
    assert mail.outbox == []


def test_each_participant_reads_it_in_their_language(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session)
    by_address = {message.to[0]: message for message in mail.outbox}
    # The texts are translated when a catalogue exists; the date is said in the person's language either way.
    with translation.override("pl"):
        polish_day = formats.date_format(dt.date(2030, 5, 14), "DATE_FORMAT")
    assert polish_day == "14 maja 2030"
    assert polish_day in by_address["enrolled@example.org"].subject
    assert "14 May 2030" in by_address["fac1@example.org"].subject  # staff: the course's language


def test_a_patch_cannot_cancel_behind_the_notices_back(api_client, session, django_capture_on_commit_callbacks):
    # Cancelling is the cancel action's job (it tells people); the PATCH is refused.
    api_client.force_login(CoordinatorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.patch(f"/api/v1/sessions/{session.pk}/", {"status": "cancelled"})
    assert response.status_code == 400, response.content
    assert "status" in response.json()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert mail.outbox == []


def test_the_cancel_page_and_api_action_notify(client, api_client, session, django_capture_on_commit_callbacks):
    client.force_login(CoordinatorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:session_cancel", kwargs={"pk": session.pk}), {"reason": ""})
    assert response.status_code == 302
    assert _recipients() == EXPECTED
    mail.outbox.clear()
    other = SessionFactory(cohort=session.cohort, starts_at=session.starts_at + dt.timedelta(days=1))
    api_client.force_login(CoordinatorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(f"/api/v1/sessions/{other.pk}/cancel/", {}).status_code == 200
    assert _recipients() == ["enrolled@example.org", "fac1@example.org", "fac2@example.org", "invited@example.org"]


def test_a_session_reinstated_before_the_task_runs_sends_nothing(session):
    assert session_cancelled_notify_task(session.pk, "") == 0  # still scheduled
    assert mail.outbox == []
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    assert session_cancelled_notify_task(session.pk, "") == len(EXPECTED)


# --- planning pages that need people ---------------------------------------------------------


def test_capacity_below_the_places_taken_is_refused_on_the_cohort_page(client):
    cohort: Cohort = CohortFactory(capacity=5)
    EnrolmentFactory.create_batch(3, cohort=cohort)
    client.force_login(CoordinatorFactory())
    data = {
        "name": cohort.name,
        "slug": cohort.slug,
        "start_date": str(cohort.start_date),
        "end_date": str(cohort.end_date),
        "time_zone": cohort.time_zone,
        "delivery_mode": cohort.delivery_mode,
        "venue": cohort.venue,
        "capacity": "2",
    }
    response = client.post(reverse("portal:cohort_update", kwargs={"slug": cohort.slug}), data)
    assert response.status_code == 200
    assert "3 places are already taken" in str(response.context["form"].errors["capacity"])
    cohort.refresh_from_db()
    assert cohort.capacity == 5


def test_a_participant_of_the_cohort_may_not_plan_it(client, session):
    participant = Enrolment.objects.get(participant__user__email="enrolled@example.org").participant.user
    client.force_login(participant)
    assert client.get(session.cohort.get_absolute_url()).status_code == 200
    for url in (
        reverse("portal:cohort_agenda", kwargs={"slug": session.cohort.slug}),
        reverse("portal:session_cancel", kwargs={"pk": session.pk}),
        reverse("exercises:run_create", kwargs={"slug": session.cohort.slug}),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
