"""Emails about enrolments and cancellations go one person per task: a mail server that fails for
one person delays only their email, nobody is written to twice, and nobody is forgotten."""

import datetime as dt
import zoneinfo
from collections import Counter
from typing import Any

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from core.mail import SENDING_CLAIM_SECONDS, SENT_REMEMBERED_SECONDS, SendInFlight, send_once
from core.tests.mailbox import FlakyBackend, sent_to
from participants import services
from participants.enrolment import EVENT_ENROLLED
from participants.models import Enrolment
from participants.tasks import enrolment_notify_many_task, enrolment_notify_task
from participants.tests.factories import EnrolmentFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


# --- a cancelled session --------------------------------------------------------------------------


def _enrolments(count: int) -> list[Enrolment]:
    cohort = CohortFactory()
    return [
        EnrolmentFactory(cohort=cohort, participant__user__email=f"p{n}@example.org", status="invited")
        for n in range(count)
    ]


def test_an_invitation_that_fails_does_not_lose_the_ones_after_it(flaky, django_capture_on_commit_callbacks):
    enrolments = _enrolments(3)
    flaky["p1@example.org"] = 1000  # never accepted
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_notify_on_commit(enrolments=enrolments)
    assert sent_to() == Counter({"p0@example.org": 1, "p2@example.org": 1})


def test_an_invitation_refused_once_is_sent_once_on_retry(
    flaky, worker_like_retries, django_capture_on_commit_callbacks
):
    enrolments = _enrolments(3)
    flaky["p1@example.org"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_notify_on_commit(enrolments=enrolments)
    assert sent_to() == Counter({"p0@example.org": 1, "p1@example.org": 1, "p2@example.org": 1})
    assert FlakyBackend.attempts["p1@example.org"] == 2


def test_a_batch_that_could_not_queue_everyone_queues_the_rest_later(monkeypatch, worker_like_retries):
    enrolments = _enrolments(3)
    real_delay = enrolment_notify_task.delay
    broker_down_once = {enrolments[1].pk}

    def delay(enrolment_id: int, event: str, notice: str) -> Any:
        if enrolment_id in broker_down_once:
            broker_down_once.discard(enrolment_id)
            raise OperationalError("Connection refused")
        return real_delay(enrolment_id, event, notice)

    monkeypatch.setattr(enrolment_notify_task, "delay", delay)
    enrolment_notify_many_task.delay([e.pk for e in enrolments], EVENT_ENROLLED, "notice-1")
    assert sent_to() == Counter({"p0@example.org": 1, "p1@example.org": 1, "p2@example.org": 1})


def test_one_notification_is_sent_once_however_often_its_tasks_run():
    enrolments = _enrolments(2)
    ids = [e.pk for e in enrolments]
    enrolment_notify_many_task.delay(ids, EVENT_ENROLLED, "notice-1")
    enrolment_notify_many_task.delay(ids, EVENT_ENROLLED, "notice-1")
    assert enrolment_notify_task.delay(ids[0], EVENT_ENROLLED, "notice-1").get() is False
    assert sent_to() == Counter({"p0@example.org": 1, "p1@example.org": 1})
    # Another notification (a coordinator sends the invitation again) is another email.
    enrolment_notify_many_task.delay(ids, EVENT_ENROLLED, "notice-2")
    assert sent_to() == Counter({"p0@example.org": 2, "p1@example.org": 2})


def test_a_roster_import_invites_each_person_once_in_their_language(django_capture_on_commit_callbacks):
    cohort = CohortFactory(start_date=dt.date(2026, 3, 4), end_date=dt.date(2026, 3, 6))
    content = b"email,preferred_language\nde@example.org,de\nen@example.org,en\n"
    roster_import = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="r.csv", content=content)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert len(callbacks) == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["de@example.org", "en@example.org"]
    assert "4. März 2026" in by_address["de@example.org"].body
    assert "4 March 2026" in by_address["en@example.org"].body


# --- sending once ---------------------------------------------------------------------------------


def test_a_failed_send_gives_its_claim_back_and_a_send_in_flight_is_retried_later():
    calls = []

    def failing() -> bool:
        calls.append("fail")
        raise OSError("unreachable")

    with pytest.raises(OSError, match="unreachable"):
        send_once(key=("k", 1), send=failing)
    assert send_once(key=("k", 1), send=lambda: calls.append("sent") or True) is True
    assert send_once(key=("k", 1), send=lambda: calls.append("again") or True) is False
    assert calls == ["fail", "sent"]

    def in_flight() -> bool:
        # While one worker sends, a second run of the same task waits for its turn (a retry).
        with pytest.raises(SendInFlight):
            send_once(key=("k", 2), send=lambda: True)
        return True

    assert send_once(key=("k", 2), send=in_flight) is True
    assert SENDING_CLAIM_SECONDS < SENT_REMEMBERED_SECONDS
