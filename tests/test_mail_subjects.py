"""A line break in a title does not stop the email about it: subjects are built on one line."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from core.models import OutboxMessage
from participants import services as participant_services
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def test_a_session_titled_on_two_lines_is_cancelled_and_everyone_is_told_on_one_line(
    api_client, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(
        start_date=dt.date(2030, 5, 13),
        end_date=dt.date(2030, 5, 17),
        facilitators=[FacilitatorFactory(email="fac@example.org")],
    )
    EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(user__email="p@example.org"))
    session = SessionFactory(
        cohort=cohort,
        title="Day 1\nBriefing",
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 10, 30, tzinfo=WARSAW),
    )
    api_client.force_login(CoordinatorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "Flooded."})
    assert response.status_code == 200, response.content
    assert sorted(m.to[0] for m in mail.outbox) == ["fac@example.org", "p@example.org"]
    for message in mail.outbox:
        assert message.subject == "Cancelled: Day 1 Briefing, 14 May 2030 09:00–10:30 (Europe/Warsaw)"
        message.message()  # builds the headers: no BadHeaderError
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


def test_an_invitation_to_a_cohort_named_on_two_lines_is_sent(django_capture_on_commit_callbacks):
    cohort = CohortFactory(name="Warsaw\r\n2030")
    with django_capture_on_commit_callbacks(execute=True):
        participant_services.enrolment_create_for_person(
            cohort=cohort, by=CoordinatorFactory(), email="new@example.org"
        )
    [message] = mail.outbox
    assert message.subject == "You are invited to Warsaw 2030"
