"""Background work of exercises: ids in, one call."""

from celery import shared_task

from core.fanout import ONE_EMAIL_TASK
from exercises.notices import cell_invitation_notify


@shared_task(**ONE_EMAIL_TASK)
def cell_invitation_notify_task(place_id: int) -> bool:
    """E-mail a guest invited to a run's cell, once; nothing when their place was removed meanwhile."""
    return cell_invitation_notify(place_id=place_id)
