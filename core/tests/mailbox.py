"""A mail server for tests that refuses some addresses, and Celery's eager tasks retrying like a worker's.

Shared by the tests of every app that sends email one person per task (participants, portal).
"""

from collections import Counter
from typing import Any

import pytest
from celery import current_app
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """The test outbox, with a mail server that refuses some addresses a number of times.

    Like SMTP, it sends the messages one after the other and stops at the first refusal.
    """

    refusals: Counter[str] = Counter()
    attempts: Counter[str] = Counter()

    def send_messages(self, messages: Any) -> int:
        sent = 0
        for message in messages:
            address = message.to[0]
            FlakyBackend.attempts[address] += 1
            if FlakyBackend.refusals[address] > 0:
                FlakyBackend.refusals[address] -= 1
                raise ConnectionRefusedError(f"421 try again later: {address}")
            sent += super().send_messages([message])
        return sent


@pytest.fixture
def flaky(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "core.tests.mailbox.FlakyBackend"
    FlakyBackend.refusals.clear()
    FlakyBackend.attempts.clear()
    return FlakyBackend.refusals


@pytest.fixture
def worker_like_retries():  # type: ignore[no-untyped-def]
    """Eager tasks that retry like a worker's: with errors propagated (the test settings), Celery
    raises a retry out of ``delay()`` instead of running the task again."""
    previous = current_app.conf.task_eager_propagates
    current_app.conf.task_eager_propagates = False
    yield
    current_app.conf.task_eager_propagates = previous


def sent_to() -> Counter[str]:
    return Counter(address for message in mail.outbox for address in message.to)
