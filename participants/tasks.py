"""Background work of the participants layer: ids in, one service call."""

from celery import shared_task

from participants.enrolment import enrolment_notification_send
from participants.models import Enrolment
from participants.scheduling import session_cancellation_notify


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def enrolment_notify_task(enrolment_id: int, event: str) -> bool:
    """Email a person about their enrolment; nothing when the enrolment is gone meanwhile."""
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return False
    return enrolment_notification_send(enrolment=enrolment, event=event)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def session_cancelled_notify_task(session_id: int, reason: str = "") -> int:
    """Email the people of a cancelled session; retried when the mail server is unreachable."""
    return session_cancellation_notify(session_id=session_id, reason=reason)


@shared_task
def enrolment_notify_many_task(enrolment_ids: list[int], event: str) -> int:
    """Fan out one email task per enrolment: the web request published once, the worker does the rest."""
    for enrolment_id in enrolment_ids:
        enrolment_notify_task.delay(enrolment_id, event)
    return len(enrolment_ids)
