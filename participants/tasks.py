"""Background work of the participants layer: ids in, one service call.

Emails go one person per task, retried with backoff when the mail server is unreachable; each is
sent once however often its task runs (``participants.enrolment.send_once``). The batch tasks
only fan out: they queue one task per person, and retry just the ones they could not queue.
"""

import logging
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from participants.enrolment import NoticeInFlight, enrolment_notify
from participants.scheduling import session_cancellation_emails, session_cancellation_notify_one

logger = logging.getLogger(__name__)

# A mail server that is unreachable, or another worker sending the same email right now.
TRANSIENT = (OSError, NoticeInFlight)
MAX_RETRIES = 5
MAX_BACKOFF_SECONDS = 600


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=MAX_BACKOFF_SECONDS,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def enrolment_notify_task(enrolment_id: int, event: str, notice: str = "") -> bool:
    """Email a person about their enrolment, once per ``notice``; nothing when the enrolment is gone meanwhile."""
    return enrolment_notify(enrolment_id=enrolment_id, event=event, notice=notice)


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=MAX_BACKOFF_SECONDS,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def session_cancelled_notify_one_task(session_id: int, email: str, reason: str = "") -> bool:
    """Email one person of a cancelled session, once per cancellation."""
    return session_cancellation_notify_one(session_id=session_id, email=email, reason=reason)


def _fan_out(task: Any, calls: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Queue ``task`` once per argument tuple; the tuples that could not be queued."""
    failed = []
    for args in calls:
        try:
            task.delay(*args)
        except Exception:  # kombu raises several kinds (and an eager task its own error): the rest still go
            logger.exception("Could not queue %s%r", task.name, args)
            failed.append(args)
    return failed


def _retry_failed(task: Any, failed: list[tuple[Any, ...]], args: tuple[Any, ...]) -> None:
    if failed:
        countdown = get_exponential_backoff_interval(
            factor=1, retries=task.request.retries, maximum=MAX_BACKOFF_SECONDS, full_jitter=True
        )
        raise task.retry(args=args, countdown=countdown)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def enrolment_notify_many_task(self: Any, enrolment_ids: list[int], event: str, notice: str = "") -> int:
    """Queue one email task per enrolment: the web request published once, the worker does the rest."""
    failed = _fan_out(enrolment_notify_task, [(pk, event, notice) for pk in enrolment_ids])
    _retry_failed(self, failed, ([args[0] for args in failed], event, notice))
    return len(enrolment_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def session_cancelled_notify_task(self: Any, session_id: int, reason: str = "", emails: list[str] | None = None) -> int:
    """Queue one email task per person expected in a cancelled session (``emails``: only these, on a retry)."""
    if emails is None:
        emails = session_cancellation_emails(session_id=session_id)
    failed = _fan_out(session_cancelled_notify_one_task, [(session_id, email, reason) for email in emails])
    _retry_failed(self, failed, (session_id, reason, [args[1] for args in failed]))
    return len(emails)
