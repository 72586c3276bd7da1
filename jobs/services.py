"""Requesting, running and sweeping background jobs.

- ``job_request`` writes the job in the caller's transaction and queues ``jobs.tasks.job_run_task``
  through the outbox (published after commit, never holding the request; a broker outage leaves it
  pending for the outbox sweep). A second request with the same key while one is active returns it.
- ``job_run`` is what the task calls: it takes a lease on the job, runs its kind's function, and
  records the outcome. Each run is numbered (``attempts``): writes of a run whose job was taken over
  by a later run are refused (``JobLost``), so a worker thought dead never overwrites its successor.
- ``jobs_requeue_stale`` (beat) queues again the jobs whose worker or broker message was lost, a
  bounded number of times; kinds are idempotent, so running again is safe. ``jobs_purge_expired``
  (beat) deletes result files past their expiry.
"""

import datetime as dt
import logging
import secrets
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import acting
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.models import OutboxMessage
from core.outbox import queue_on_commit
from core.uploads import upload_name_clean
from jobs.models import DEDUPE_KEY_LENGTH, SCOPE_LENGTH, Job
from jobs.registry import JobKind, kind_for

logger = logging.getLogger(__name__)

# A queued job nobody started after this long is queued again (the broker lost its message).
QUEUED_GRACE = dt.timedelta(minutes=2)
# How often a job may be started before it is failed for good (the task retries transient errors).
MAX_ATTEMPTS = 5
# How often the sweep may queue the same job again before failing it. Each time it waits twice as long
# for the new message (2, 4, 8 ... 64 minutes, about two hours in all): a job that only waits behind a
# long queue of others is not failed for it, and duplicate messages are harmless (job_run skips them).
MAX_REQUEUES = 6
# After a failed run the job waits queued this long for the task's own retry (its backoff stops at
# 600 s) before the sweep takes it as lost.
RETRY_HOLD = dt.timedelta(minutes=11)

RUN_TASK = "jobs.tasks.job_run_task"


def lease() -> dt.timedelta:
    """How long a run holds its job without reporting progress: longer than the task may run at all
    (its hard time limit), so a lapsed lease means the worker is gone, not slow."""
    return dt.timedelta(seconds=int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 300) or 300) + 60)


def _gave_up() -> str:
    return _("The job could not be completed. Please ask again.")


class JobBusy(Exception):
    """Another worker holds the job's lease now: the task retries later."""


class JobLost(Exception):
    """The job was taken over by a later run (or finished): this run must stop writing to it."""


@audited("job.request", fields=None)
def job_request(
    *,
    kind: str,
    requested_by: Any,
    dedupe_key: str,
    input: dict[str, Any] | None = None,
    scope: str = "",
    total: int = 0,
) -> tuple[Job, bool]:
    """The job for this request, and whether it is new (False: an identical job is already active).

    The key decides what "identical" means, whoever asks: a domain that wants one job per person puts
    the person in it. The task is queued after the caller's transaction commits.
    """
    if kind_for(kind) is None:
        raise ApplicationError(_("Unknown kind of job."))
    if not dedupe_key or len(dedupe_key) > DEDUPE_KEY_LENGTH or len(scope) > SCOPE_LENGTH:
        raise ApplicationError(_("A job needs a key of at most 200 characters and a scope of at most 64."))
    fields = {
        "kind": kind,
        "input": input or {},
        "scope": scope,
        "progress_total": max(total, 0),
        "requested_by": requested_by if getattr(requested_by, "pk", None) else None,
    }
    with transaction.atomic():
        # Two tries: the active job we collided with may finish between our insert and our read.
        for _try in range(2):
            try:
                # A savepoint: the duplicate key must not break the caller's transaction.
                with transaction.atomic():
                    job = Job.objects.create(dedupe_key=dedupe_key, **fields)
            except IntegrityError:
                active = Job.objects.active().filter(dedupe_key=dedupe_key).first()
                if active is not None:
                    return active, False
                continue
            _queue(job)
            return job, True
        raise ApplicationError(_("The job could not be requested. Please try again."))


def _queue(job: Job, *, why: str = "request") -> None:
    queue_on_commit(RUN_TASK, str(job.pk), dedupe_key=f"job:{job.pk}:{why}:{job.attempts}:{job.requeues}")


class JobProgress:
    """Handed to a kind's function: reports progress (renewing the lease) and saves the result file.

    Every write is refused with ``JobLost`` once the job belongs to a later run or is no longer running.
    """

    def __init__(self, job: Job) -> None:
        self.job = job

    def set_total(self, total: int) -> None:
        job = self.job
        job.progress_total = max(total, 0)
        job.progress_done = min(job.progress_done, job.progress_total)
        self._save("progress_total", "progress_done")

    def advance(self, done: int = 1) -> None:
        self.set_done(self.job.progress_done + done)

    def set_done(self, done: int) -> None:
        """Done so far: never below 0 nor, when the total is known, above it."""
        job = self.job
        done = max(done, 0)
        job.progress_done = min(done, job.progress_total) if job.progress_total else done
        self._save("progress_done")

    def save_result(self, *, name: str, content: bytes | IO[bytes], content_type: str) -> None:
        """Store the result file (MEDIA_ROOT/jobs/, under a random name); ``name`` is what the download is called.

        ``content`` is the bytes, or an open binary file (a large result written to a temporary file first:
        the storage copies it in chunks).
        """
        job = self.job
        self._save()  # still ours? before anything is written to disk
        old = job.result_file.name if job.result_file else ""
        clean = upload_name_clean(name) or "result"
        stored = ContentFile(content) if isinstance(content, bytes) else File(content)
        job.result_file.save(f"{secrets.token_urlsafe(24)}.bin", stored, save=False)
        job.result_name, job.result_content_type = clean, content_type or "application/octet-stream"
        try:
            self._save("result_file", "result_name", "result_content_type")
        except JobLost:
            job.result_file.storage.delete(job.result_file.name)
            raise
        if old:
            job.result_file.storage.delete(old)

    def _save(self, *fields: str) -> None:
        job = self.job
        job.lease_until = timezone.now() + lease()
        updated = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
            lease_until=job.lease_until, **{field: getattr(job, field) for field in fields}
        )
        if not updated:
            raise JobLost(str(job.pk))


def job_run(*, job_id: str) -> str:
    """Run the job unless it is done or held by another worker: its state afterwards.

    Raises ``JobBusy`` while another worker's lease is valid. A kind's ``ApplicationError`` fails the
    job with its message; any other exception puts the job back in the queue (for the task's retry,
    or the sweep) and is raised again; the run that makes ``MAX_ATTEMPTS`` fails the job instead.
    """
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_active:
            return job.state if job else "missing"
        if job.state == Job.State.RUNNING and job.lease_until and job.lease_until > now:
            raise JobBusy(str(job.pk))
        kind = kind_for(job.kind)
        if kind is None or job.attempts >= MAX_ATTEMPTS:
            if kind is None:
                logger.error("Job %s: no kind %r is registered", job.pk, job.kind)
            _finish(job, Job.State.FAILED, error=_gave_up())
            return job.state
        job.attempts += 1
        job.state, job.lease_until = Job.State.RUNNING, now + lease()
        job.started_at = job.started_at or now
        job.save(update_fields=["state", "lease_until", "started_at", "attempts"])
    # Entries written by the work name the person who asked for it.
    with acting(actor_id=job.requested_by_id):
        try:
            result = kind.run(job, JobProgress(job)) or {}
        except JobLost:
            logger.warning("Job %s was taken over by another run; this run stops", job.pk)
            return Job.objects.get(pk=job.pk).state
        except ValidationError as exc:  # ApplicationError: a refusal the requester should read
            message = exc.message if isinstance(exc, ApplicationError) and exc.message else " ".join(exc.messages)
            return _end(job, Job.State.FAILED, error=str(message) or _gave_up())
        except Exception:
            logger.warning("Job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts, exc_info=True)
            if job.attempts >= MAX_ATTEMPTS:
                return _end(job, Job.State.FAILED, error=_gave_up())
            # Back in the queue: the task's retry takes it; the sweep only if that retry never comes.
            Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
                state=Job.State.QUEUED, lease_until=timezone.now() + RETRY_HOLD
            )
            raise
        return _end(job, Job.State.SUCCEEDED, result=result, kind=kind)


def _end(
    job: Job, state: str, *, error: str = "", result: dict[str, Any] | None = None, kind: JobKind | None = None
) -> str:
    """Record the outcome of this run, unless the job has since been taken over: its state afterwards."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.state != Job.State.RUNNING or current.attempts != job.attempts:
            return current.state
        if state == Job.State.SUCCEEDED:
            current.result = result or {}
            if current.progress_total:
                current.progress_done = current.progress_total
            if current.result_file:
                current.expires_at = timezone.now() + _keep(kind)
        _finish(current, state, error=error)
        return current.state


def _keep(kind: JobKind | None) -> dt.timedelta:
    keep = kind.keep_seconds() if kind is not None else None
    if keep is not None:
        return dt.timedelta(seconds=keep)
    return dt.timedelta(days=settings.CONCORD_JOB_RESULT_DAYS)


def job_fail(*, job_id: str, error: str = "") -> None:
    """Fail an active job for good (the task gave up retrying)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is not None and job.is_active:
            _finish(job, Job.State.FAILED, error=error or _gave_up())


def _finish(job: Job, state: str, *, error: str = "") -> None:
    """Save the job as done (the caller holds its row lock); a failed job keeps no partial file."""
    job.state, job.error = state, error
    job.finished_at, job.lease_until = timezone.now(), None
    if state == Job.State.FAILED and job.result_file:
        name = job.result_file.name
        job.result_file = ""
        transaction.on_commit(lambda: _delete_file(job, name))
    job.save()


def _delete_file(job: Job, name: str) -> None:
    try:
        job.result_file.storage.delete(name)
    except OSError:
        logger.warning("Job %s: could not delete %s", job.pk, name, exc_info=True)


@audited("jobs.requeue_stale")
def jobs_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the jobs whose broker message or worker was lost: how many (beat, every minute).

    A queued job qualifies once its grace is over and no outbox message for it is still waiting for
    the broker (during an outage the outbox sweep delivers that one); a running job once its lease
    lapsed. Each job is queued again at most ``MAX_REQUEUES`` times, then failed.
    """
    now = now or timezone.now()
    waiting = Job.objects.filter(state=Job.State.QUEUED).filter(
        # Never held: judged by its age; held (queued again, or waiting for a retry): by its hold.
        Q(lease_until__isnull=True, requested_at__lt=now - QUEUED_GRACE) | Q(lease_until__lt=now)
    )
    lost = Job.objects.filter(state=Job.State.RUNNING, lease_until__lt=now)
    pending = {
        str(args[0])
        for args in OutboxMessage.objects.filter(task_name=RUN_TASK, state=OutboxMessage.State.PENDING).values_list(
            "args", flat=True
        )
        if args
    }
    requeued = 0
    for job_id in [*waiting.values_list("pk", flat=True), *lost.values_list("pk", flat=True)]:
        if str(job_id) in pending:
            continue
        with transaction.atomic():
            job = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None or not job.is_active:
                continue
            if job.state == Job.State.RUNNING and (job.lease_until is None or job.lease_until >= now):
                continue  # renewed since we looked
            if job.requeues >= MAX_REQUEUES:
                logger.error("Job %s: queued %s times and still not done; failed", job.pk, job.requeues)
                _finish(job, Job.State.FAILED, error=_gave_up())
                continue
            job.requeues += 1
            # Back to queued (a later run's writes win; the lost worker's are refused), with a hold so
            # that the next sweeps wait for this message.
            job.state, job.lease_until = Job.State.QUEUED, now + QUEUED_GRACE * 2 ** (job.requeues - 1)
            job.save(update_fields=["state", "lease_until", "requeues"])
            _queue(job, why="sweep")
            requeued += 1
    return requeued


@audited("jobs.purge_expired")
def job_results_withdraw(*, jobs: QuerySet[Job]) -> int:
    """Expire the result files of ``jobs`` now, and delete them once the transaction commits (a person
    they name was erased; a new job makes them again): how many. The rows stay as history."""
    now = timezone.now()
    withdrawn = jobs.exclude(result_file="").update(expires_at=now)
    if withdrawn:
        transaction.on_commit(lambda: jobs_purge_expired(now=now + dt.timedelta(microseconds=1)))
    return withdrawn


def jobs_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the result files of jobs past their expiry: how many (beat, hourly). The rows stay as history."""
    now = now or timezone.now()
    purged = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(result_file=""):
        name = job.result_file.name
        try:
            job.result_file.storage.delete(name)
        except OSError:
            logger.warning("Job %s: could not delete %s; next purge tries again", job.pk, name, exc_info=True)
            continue
        Job.objects.filter(pk=job.pk, result_file=name).update(result_file="")
        purged += 1
    return purged
