"""A transactional outbox for Celery tasks: queued work is never lost to a broker outage, and never
makes a web request wait for the broker.

``queue_on_commit`` writes a pending row in the caller's transaction. After the commit it publishes
the task once, without retries and with the short socket timeouts of the broker settings, and marks
the row sent. A publish that fails leaves the row pending and the request answers as usual; the beat
task ``outbox_sweep_task`` publishes pending rows again once the broker is back.

Delivery is at least once (a publish whose "sent" mark then failed to commit is published again),
so tasks queued here must be idempotent: emails go through ``core.mail.send_once``.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``) the task runs in-process after the commit.
"""

import datetime as dt
import json
import logging
from typing import Any

from celery import Task, current_app
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import OutboxMessage, SentMark

logger = logging.getLogger(__name__)

# A row younger than this is left to the request that wrote it (it publishes on commit).
SWEEP_GRACE = dt.timedelta(seconds=10)
# Rows published per sweep; the next sweep (every 30 s) takes the rest.
SWEEP_BATCH = 500
# Sent rows are kept this long (their dedupe keys with them); sent marks as long as the old cache kept them.
KEEP_SENT = dt.timedelta(days=7)
KEEP_SENT_MARKS = dt.timedelta(days=30)

# Every publish from the outbox: fail fast (the sweep is the retry) and store no result
# (a result backend on the broker's Redis would be one more connection to wait for).
PUBLISH_OPTIONS: dict[str, Any] = {"retry": False, "ignore_result": True}


def queue_on_commit(
    task_name_or_task: str | Task, *args: Any, dedupe_key: str | None = None, **kwargs: Any
) -> OutboxMessage | None:
    """Queue a task to run after the current transaction commits; nothing if it rolls back.

    Arguments must be JSON (ids, not objects). With ``dedupe_key``, a second call with the same key
    queues nothing and returns None.
    """
    name = task_name_or_task if isinstance(task_name_or_task, str) else task_name_or_task.name
    fields = {"task_name": name, "args": list(args), "kwargs": kwargs}
    json.dumps(fields)  # a TypeError here, not a broken transaction at the insert
    if not dedupe_key:
        message = OutboxMessage.objects.create(**fields)
    else:
        try:
            # A savepoint: a duplicate key must not break the caller's transaction.
            with transaction.atomic():
                message = OutboxMessage.objects.create(dedupe_key=dedupe_key, **fields)
        except IntegrityError:
            if not OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
                raise
            logger.info("Not queued again: %s (%s)", name, dedupe_key)
            return None
    message_id = message.pk
    # Robust: whatever goes wrong in publishing is logged, and the committed work stands.
    transaction.on_commit(lambda: outbox_publish(message_id=message_id), robust=True)
    return message


def outbox_publish(*, message_id: int) -> bool:
    """Publish one pending message now (run it, in eager mode); True when the broker took it."""
    if _eager():
        return _run_eagerly(message_id)
    with transaction.atomic():
        # Locked, so that a sweep running now leaves this row to us (and we leave one it holds).
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .first()
        )
        return message is not None and _publish_locked(message)


def outbox_sweep(*, grace: dt.timedelta = SWEEP_GRACE, limit: int = SWEEP_BATCH) -> int:
    """Publish pending messages older than ``grace``, oldest first; the number published.

    Each row is locked while it is published (``skip_locked``: two sweeps take different rows). The
    sweep stops at the first refusal: the broker is down, and the next sweep tries again.
    """
    cutoff = timezone.now() - grace
    published = 0
    while published < limit:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(state=OutboxMessage.State.PENDING, created_at__lte=cutoff)
                .order_by("created_at", "pk")
                .first()
            )
            if message is None:
                break
            if _eager():
                message.attempts += 1
                _mark_sent(message)
            elif not _publish_locked(message):
                break
        if _eager():
            _run(message)
        published += 1
    return published


def outbox_purge(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Forget sent messages and sent marks past their keeping time; how many of each were deleted."""
    now = now or timezone.now()
    messages, _ = OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENT, published_at__lt=now - KEEP_SENT
    ).delete()
    marks, _ = SentMark.objects.filter(state=SentMark.State.SENT, sent_at__lt=now - KEEP_SENT_MARKS).delete()
    return messages, marks


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _publish_locked(message: OutboxMessage) -> bool:
    """Hand the (locked, pending) message to the broker and record the outcome on the row."""
    message.attempts += 1
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 - kombu and redis raise many kinds; the row stays pending for the sweep
        message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "Could not publish %s (outbox #%s, attempt %s): %s",
            message.task_name,
            message.pk,
            message.attempts,
            message.last_error,
        )
        return False
    _mark_sent(message)
    return True


def _mark_sent(message: OutboxMessage) -> None:
    message.state = OutboxMessage.State.SENT
    message.published_at = timezone.now()
    message.save(update_fields=["state", "published_at", "attempts"])


def _task(name: str) -> Task | None:
    task = current_app.tasks.get(name)
    if task is None and _eager():
        # Without a worker nothing imported the tasks modules yet; a worker does this at start.
        current_app.autodiscover_tasks(force=True)
        task = current_app.tasks.get(name)
    return task


def _send(message: OutboxMessage) -> None:
    task = _task(message.task_name)
    if task is None:
        # Not imported in this process (a web process does not load every tasks module): by name.
        current_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, **PUBLISH_OPTIONS)
    else:
        task.apply_async(args=message.args, kwargs=message.kwargs, **PUBLISH_OPTIONS)


def _run_eagerly(message_id: int) -> bool:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update().filter(pk=message_id, state=OutboxMessage.State.PENDING).first()
        )
        if message is None:
            return False
        message.attempts += 1
        _mark_sent(message)
    # Outside the transaction: the task's own errors must not undo the mark, nor break a transaction.
    _run(message)
    return True


def _run(message: OutboxMessage) -> None:
    """Run the task in-process (eager mode); its failure is logged like a worker's, not raised to the caller."""
    try:
        task = _task(message.task_name)
        if task is None:
            raise LookupError(f"no task named {message.task_name!r}")
        task.apply_async(args=message.args, kwargs=message.kwargs)
    except Exception:  # the work that queued it stands, as it would with a worker
        logger.exception("Task %s (outbox #%s) failed", message.task_name, message.pk)
