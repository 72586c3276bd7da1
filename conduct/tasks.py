"""Background work of a run's live conduct: planned injects that fall due release themselves."""

from celery import shared_task

from conduct.services import injects_release_due


@shared_task
def injects_release_due_task() -> int:
    """Release the due injects of the running runs with auto-release on (beat, every 10 seconds)."""
    return injects_release_due()
