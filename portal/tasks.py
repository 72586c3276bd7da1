"""Background work of the composing layer: telling a cancelled session's people, one task per person."""

from typing import Any

from celery import shared_task

from core.fanout import MAX_RETRIES, ONE_EMAIL_TASK, fan_out, retry_failed
from portal.notices import session_cancellation_emails, session_cancellation_notify_one


@shared_task(**ONE_EMAIL_TASK)
def session_cancelled_notify_one_task(session_id: int, email: str, reason: str = "") -> bool:
    """Email one person of a cancelled session, once per cancellation."""
    return session_cancellation_notify_one(session_id=session_id, email=email, reason=reason)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def session_cancelled_notify_task(self: Any, session_id: int, reason: str = "", emails: list[str] | None = None) -> int:
    """Queue one email task per person expected in a cancelled session (``emails``: only these, on a retry)."""
    if emails is None:
        emails = session_cancellation_emails(session_id=session_id)
    failed = fan_out(session_cancelled_notify_one_task, [(session_id, email, reason) for email in emails])
    retry_failed(self, failed, (session_id, reason, [args[1] for args in failed]))
    return len(emails)
