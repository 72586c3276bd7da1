"""Invitation emails: a new person sets a password through the link; existing people get a notice."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory
from core.exceptions import ApplicationError
from participants import services
from participants.enrolment import EVENT_ENROLLED, enrolment_notification_send
from participants.tasks import enrolment_notify_task
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

SITE = "https://concord.example.org"
PASSWORD = "Harbour-lights-2026"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _link(body: str) -> str:
    match = re.search(re.escape(SITE) + r"(/accounts/password/reset/key/\S+)", body)
    assert match, body
    return match.group(1)


def test_a_new_person_is_invited_and_sets_a_password_through_the_link(client, django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(name="Warsaw spring cohort")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrolment = services.enrolment_create_for_person(
            cohort=cohort, by=coordinator, email="Nora.New@Example.org", profile={"first_name": "Nora"}
        )
    assert len(callbacks) == 1  # queued after the commit, not before
    assert enrolment.participant.user.email == "nora.new@example.org"

    [message] = mail.outbox
    assert message.to == ["nora.new@example.org"]
    assert message.subject == "You are invited to Warsaw spring cohort"
    assert "Hello Nora," in message.body
    assert f"{SITE}{reverse('account_login')}" in message.body

    # Follow the link as the person would: allauth keeps the key in the session and asks for a password.
    response = client.get(_link(message.body))
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("set-password/")
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    user = enrolment.participant.user
    user.refresh_from_db()
    assert user.has_usable_password()
    client.logout()
    response = client.post(reverse("account_login"), {"login": "nora.new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"] == user

    # The link works once: after the password is set it is refused.
    client.logout()
    response = client.get(_link(message.body), follow=True)
    assert response.context["token_fail"] is True


def test_someone_with_a_password_gets_a_notice_without_a_link(django_capture_on_commit_callbacks):
    participant = ParticipantFactory(user__email="known@example.org")  # factory users have a password
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(
            cohort=CohortFactory(name="Sofia"), participant=participant, by=None, status="enrolled"
        )
    [message] = mail.outbox
    assert message.subject == "You are enrolled in Sofia"
    assert "/accounts/password/reset/key/" not in message.body
    assert "Sign in to Concord" in message.body


def test_the_waiting_list_email_says_so(django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=1, name="Full")
    EnrolmentFactory(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create_for_person(cohort=cohort, by=None, email="late@example.org", waitlist_if_full=True)
    [message] = mail.outbox
    assert message.subject == "You are on the waiting list for Full"
    assert "waiting list" in message.body
    assert "/accounts/password/reset/key/" in message.body  # new: still invited to set a password


def test_nothing_is_sent_when_the_enrolment_is_rolled_back(django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError) as excinfo:
        services.enrolment_create_for_person(cohort=cohort, by=None, email="refused@example.org")
    assert "is full" in excinfo.value.field_errors["cohort"][0]
    assert mail.outbox == []


def test_the_task_takes_an_id_and_skips_removed_enrolments():
    enrolment = EnrolmentFactory()
    assert enrolment_notify_task.delay(enrolment.pk, EVENT_ENROLLED).get() is True
    assert len(mail.outbox) == 1
    enrolment_id = enrolment.pk
    enrolment.delete()
    assert enrolment_notify_task.delay(enrolment_id, EVENT_ENROLLED).get() is False
    assert len(mail.outbox) == 1


def test_inactive_people_are_not_written_to():
    enrolment = EnrolmentFactory(participant__user__is_active=False)
    assert enrolment_notification_send(enrolment=enrolment, event=EVENT_ENROLLED) is False
    assert mail.outbox == []


def test_a_coordinator_can_send_the_invitation_again_with_a_fresh_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_create_for_person(cohort=CohortFactory(), by=None, email="slow@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_invitation_resend(enrolment=enrolment)
    assert [m.to for m in mail.outbox] == [["slow@example.org"]] * 2
    assert _link(mail.outbox[1].body)


def test_the_email_is_written_in_the_persons_language(django_capture_on_commit_callbacks):
    participant = ParticipantFactory(user__language="de")
    cohort = CohortFactory(start_date=dt.date(2026, 3, 4), end_date=dt.date(2026, 3, 6))
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(cohort=cohort, participant=participant, by=None)
    # Rendered in the person's language: Django's own catalogue names the month.
    [message] = mail.outbox
    assert "4. März 2026" in message.body
    assert "March" not in message.body
