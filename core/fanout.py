"""Queue one task per item from a batch task, and retry only the items that could not be queued."""

import logging
from collections.abc import Sequence
from typing import Any

from celery.utils.time import get_exponential_backoff_interval

from core.mail import SendInFlight

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 600
MAX_RETRIES = 5
# Options of a task that emails one person: retried with backoff while the mail server is unreachable
# (OSError) or another worker is sending the same email (core.mail.SendInFlight).
ONE_EMAIL_TASK: dict[str, Any] = {
    "autoretry_for": (OSError, SendInFlight),
    "retry_backoff": True,
    "retry_backoff_max": MAX_BACKOFF_SECONDS,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
}


def fan_out(task: Any, calls: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Queue ``task`` once per argument tuple; the tuples that could not be queued."""
    failed = []
    for args in calls:
        try:
            task.delay(*args)
        except Exception:  # kombu raises several kinds (and an eager task its own error): the rest still go
            logger.exception("Could not queue %s%r", task.name, args)
            failed.append(args)
    return failed


def retry_failed(task: Any, failed: list[tuple[Any, ...]], args: tuple[Any, ...]) -> None:
    if failed:
        countdown = get_exponential_backoff_interval(
            factor=1, retries=task.request.retries, maximum=MAX_BACKOFF_SECONDS, full_jitter=True
        )
        raise task.retry(args=args, countdown=countdown)
