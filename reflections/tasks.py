"""Background work of reflections: the beat sweep of due reminders and one email per person."""

from typing import Any

from celery import shared_task

from core.fanout import MAX_RETRIES, ONE_EMAIL_TASK, fan_out, retry_failed
from reflections.services import reminders


@shared_task
def reflection_reminders_sweep_task() -> int:
    """Beat: take the due reminders and queue their emails."""
    return reminders.reminders_send_due()


@shared_task(**ONE_EMAIL_TASK)
def reflection_reminder_email_task(reminder_id: int, participant_id: int) -> bool:
    """Email one person their reminder, once."""
    return reminders.reminder_email_one(reminder_id=reminder_id, participant_id=participant_id)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def reflection_reminder_notify_task(self: Any, reminder_id: int, participant_ids: list[int] | None = None) -> int:
    """Queue one email task per person a swept reminder goes to (``participant_ids``: only these, on a retry)."""
    if participant_ids is None:
        participant_ids = reminders.reminder_recipient_ids(reminder_id=reminder_id)
    failed = fan_out(reflection_reminder_email_task, [(reminder_id, pk) for pk in participant_ids])
    retry_failed(self, failed, (reminder_id, [args[1] for args in failed]))
    return len(participant_ids)
