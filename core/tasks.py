from celery import shared_task
from django.core.mail import send_mail

from core.mail import single_line
from core.outbox import outbox_purge, outbox_sweep


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_mail_task(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text email; retried when the mail server is unreachable."""
    return send_mail(single_line(subject), body, None, recipients)


@shared_task
def outbox_sweep_task() -> int:
    """Publish the outbox messages that their request could not (beat, every 30 seconds)."""
    return outbox_sweep()


@shared_task
def outbox_purge_task() -> tuple[int, int]:
    """Forget old sent outbox messages and sent marks (beat, daily)."""
    return outbox_purge()
