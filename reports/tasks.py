"""Background work of reports: the daily sweep of improvement-action reminders and their e-mails."""

from celery import shared_task

from core.fanout import ONE_EMAIL_TASK
from reports import action_services


@shared_task
def action_reminders_sweep_task() -> int:
    """Beat (daily): take the due reminders of open improvement actions and queue their e-mails."""
    return action_services.action_reminders_send_due()


@shared_task(**ONE_EMAIL_TASK)
def action_reminder_email_task(reminder_id: int) -> int:
    """E-mail one reminder to its recipients, each once (``core.mail.send_once``)."""
    return action_services.action_reminder_email(reminder_id=reminder_id)
