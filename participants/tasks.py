"""Background work of the participants layer: ids in, one service call.

Emails go one person per task, retried with backoff when the mail server is unreachable; each is
sent once however often its task runs (``core.mail.send_once``). The batch tasks
only fan out: they queue one task per person, and retry just the ones they could not queue.
"""

import logging
from typing import Any

from celery import shared_task

from core.fanout import MAX_RETRIES, ONE_EMAIL_TASK, fan_out, retry_failed
from participants.enrolment import enrolment_notify

logger = logging.getLogger(__name__)


@shared_task(**ONE_EMAIL_TASK)
def enrolment_notify_task(enrolment_id: int, event: str, notice: str = "") -> bool:
    """Email a person about their enrolment, once per ``notice``; nothing when the enrolment is gone meanwhile."""
    return enrolment_notify(enrolment_id=enrolment_id, event=event, notice=notice)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def enrolment_notify_many_task(self: Any, enrolment_ids: list[int], event: str, notice: str = "") -> int:
    """Queue one email task per enrolment: the web request published once, the worker does the rest."""
    failed = fan_out(enrolment_notify_task, [(pk, event, notice) for pk in enrolment_ids])
    retry_failed(self, failed, ([args[0] for args in failed], event, notice))
    return len(enrolment_ids)


@shared_task
def roster_files_purge_task() -> int:
    """Delete roster files past CONCORD_ROSTER_FILE_DAYS (beat, daily)."""
    # Imported here: participants.services imports this module for its e-mail tasks.
    from participants.services import roster_files_purge

    return roster_files_purge()
