"""Emails about enrolments and cancellations go one person per task: a mail server that fails for
one person delays only their email, nobody is written to twice, and nobody is forgotten."""

import datetime as dt
import zoneinfo
from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.utils import formats, translation
from kombu.exceptions import OperationalError

from accounts.tests.factories import FacilitatorFactory
from core.tests.mailbox import FlakyBackend, sent_to
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from portal import services as portal_services
from portal.tasks import session_cancelled_notify_one_task, session_cancelled_notify_task
from trainings.models import Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


# --- a cancelled session --------------------------------------------------------------------------


@pytest.fixture
def session() -> Session:
    cohort = CohortFactory(
        name="Warsaw 2030",
        start_date=dt.date(2030, 5, 13),
        end_date=dt.date(2030, 5, 17),
        facilitators=[FacilitatorFactory(email="fac@example.org")],
    )
    for email, language in (("a@example.org", "en"), ("b@example.org", "pl"), ("c@example.org", "de")):
        EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(user__email=email, user__language=language))
    return SessionFactory(
        cohort=cohort,
        title="Crisis simulation",
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 10, 30, tzinfo=WARSAW),
    )


EVERYONE = Counter({"a@example.org": 1, "b@example.org": 1, "c@example.org": 1, "fac@example.org": 1})


def test_a_refusal_for_one_person_delays_only_them_and_nobody_gets_it_twice(
    session, flaky, worker_like_retries, django_capture_on_commit_callbacks
):
    flaky["b@example.org"] = 2  # the server refuses the second person twice, then takes it
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        portal_services.session_cancel(session=session, reason="Flooded.")
    assert len(callbacks) == 1  # the request published one task; the worker fans out
    assert sent_to() == EVERYONE
    assert FlakyBackend.attempts["b@example.org"] == 3
    assert FlakyBackend.attempts["a@example.org"] == 1
    # The retried email is still in the person's own language.
    with translation.override("pl"):
        polish_day = formats.date_format(dt.date(2030, 5, 14), "DATE_FORMAT")
    [polish] = [m for m in mail.outbox if m.to == ["b@example.org"]]
    assert polish_day in polish.subject


def test_a_person_the_server_keeps_refusing_does_not_stop_the_others(
    session, flaky, django_capture_on_commit_callbacks
):
    flaky["a@example.org"] = 1000
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.session_cancel(session=session)
    assert sent_to() == EVERYONE - Counter({"a@example.org": 1})


def test_the_tasks_run_again_write_to_nobody_twice(session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED, sequence=1)
    assert session_cancelled_notify_task.delay(session.pk, "").get() == 4
    assert session_cancelled_notify_task.delay(session.pk, "").get() == 4  # queued again: sends nothing
    assert session_cancelled_notify_one_task.delay(session.pk, "a@example.org", "").get() is False
    assert sent_to() == EVERYONE


def test_someone_not_expected_any_more_is_not_written_to(session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    Enrolment.objects.filter(participant__user__email="a@example.org").update(status=Enrolment.Status.WITHDRAWN)
    assert session_cancelled_notify_one_task.delay(session.pk, "a@example.org", "").get() is False
    assert session_cancelled_notify_one_task.delay(session.pk, "stranger@example.org", "").get() is False
    assert mail.outbox == []


def test_a_session_cancelled_again_after_being_reinstated_is_told_again(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.session_cancel(session=session)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.SCHEDULED)
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.session_cancel(session=session)
    assert sent_to() == EVERYONE + EVERYONE


def test_a_batch_that_could_not_queue_everyone_retries_only_the_rest(session, monkeypatch, worker_like_retries):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    real_delay = session_cancelled_notify_one_task.delay
    broker_down_once = {"c@example.org"}

    def delay(session_id: int, email: str, reason: str) -> Any:
        if email in broker_down_once:
            broker_down_once.discard(email)
            raise OperationalError("Connection refused")
        return real_delay(session_id, email, reason)

    monkeypatch.setattr(session_cancelled_notify_one_task, "delay", delay)
    session_cancelled_notify_task.delay(session.pk, "")
    assert sent_to() == EVERYONE


# --- enrolment emails -----------------------------------------------------------------------------
