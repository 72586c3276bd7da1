"""Requesting, running and sweeping background jobs.

- ``job_request`` writes the job in the caller's transaction and queues ``jobs.tasks.job_run_task``
  through the outbox (published after commit, never holding the request; a broker outage leaves it
  pending for the outbox sweep). A second request with the same key while one is active returns it.
- ``job_run`` is what the task calls: it takes a lease on the job, runs its kind's function, and
  records the outcome. A job whose lease lapsed (its worker died, or Redis lost the queue) is queued
  again by ``jobs_requeue_stale`` (beat); kinds are idempotent, so running again is safe.
"""

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.outbox import queue_on_commit
from jobs.models import Job
from jobs.registry import kind_for

logger = logging.getLogger(__name__)

# A running job renews its lease at each step; one whose lease lapsed is taken as lost.
LEASE = dt.timedelta(seconds=90)
# A queued job nobody started after this long is queued again (the broker lost its message).
QUEUED_GRACE = dt.timedelta(minutes=2)
# How often the task may run the same job before it is failed for good.
MAX_ATTEMPTS = 5

RUN_TASK = "jobs.tasks.job_run_task"


class JobBusy(Exception):
    """Another worker holds the job's lease now: the task retries later."""


def job_request(
    *,
    kind: str,
    requested_by: Any,
    dedupe_key: str,
    input: dict[str, Any] | None = None,
    scope: str = "",
    total: int = 0,
) -> tuple[Job, bool]:
    """The job for this request, and whether it is new (False: an identical job is already active)."""
    if kind_for(kind) is None:
        raise ApplicationError(_("Unknown kind of job."))
    fields = {
        "kind": kind,
        "input": input or {},
        "scope": scope,
        "progress_total": total,
        "requested_by": requested_by if getattr(requested_by, "pk", None) else None,
    }
    with transaction.atomic():
        try:
            # A savepoint: the duplicate key must not break the caller's transaction.
            with transaction.atomic():
                job = Job.objects.create(dedupe_key=dedupe_key, **fields)
        except IntegrityError:
            active = Job.objects.filter(dedupe_key=dedupe_key, state__in=Job.ACTIVE_STATES).first()
            if active is None:
                raise
            return active, False
        _queue(job)
    return job, True


def _queue(job: Job) -> None:
    queue_on_commit(RUN_TASK, str(job.pk), dedupe_key=f"job:{job.pk}:{job.attempts}")


class JobProgress:
    """Handed to a kind's function: reports progress (renewing the lease) and saves the result file."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def set_total(self, total: int) -> None:
        self.job.progress_total = max(total, 0)
        self.job.progress_done = min(self.job.progress_done, self.job.progress_total)
        self._save("progress_total", "progress_done")

    def advance(self, done: int = 1) -> None:
        job = self.job
        job.progress_done = min(job.progress_done + done, job.progress_total or job.progress_done + done)
        if job.progress_done > job.progress_total:
            job.progress_total = job.progress_done
        self._save("progress_done", "progress_total")

    def set_done(self, done: int) -> None:
        self.job.progress_done = min(max(done, 0), self.job.progress_total) if self.job.progress_total else max(done, 0)
        self._save("progress_done")

    def save_result(self, *, name: str, content: bytes, content_type: str) -> None:
        job = self.job
        if job.result_file:
            job.result_file.delete(save=False)
        job.result_file.save(f"{job.pk}-{name}", ContentFile(content), save=False)
        job.result_name, job.result_content_type = name, content_type
        self._save("result_file", "result_name", "result_content_type")

    def _save(self, *fields: str) -> None:
        self.job.lease_until = timezone.now() + LEASE
        # Only while the job is still ours (running): a swept and re-run job is not written over.
        Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(
            lease_until=self.job.lease_until, **{field: getattr(self.job, field) for field in fields}
        )


def job_run(*, job_id: str) -> str:
    """Run the job unless it is done or held by another worker: its state afterwards.

    Raises ``JobBusy`` while another worker's lease is valid.
    """
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_active:
            return job.state if job else "missing"
        if job.state == Job.State.RUNNING and job.lease_until and job.lease_until > now:
            raise JobBusy(str(job.pk))
        kind = kind_for(job.kind)
        job.attempts += 1
        if kind is None or job.attempts > MAX_ATTEMPTS:
            _finish(job, Job.State.FAILED, error=_("The job could not be completed. Please ask again."))
            return job.state
        job.state, job.lease_until = Job.State.RUNNING, now + LEASE
        job.started_at = job.started_at or now
        job.save(update_fields=["state", "lease_until", "started_at", "attempts"])
    try:
        result = kind.run(job, JobProgress(job)) or {}
    except ApplicationError as exc:
        with transaction.atomic():
            _finish(_locked(job), Job.State.FAILED, error=str(exc.message or exc))
        return Job.State.FAILED
    except Exception:
        # Transient or not, the task retries; give the lease back so that the retry can take it.
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(lease_until=None)
        raise
    with transaction.atomic():
        job = _locked(job)
        if job.state != Job.State.RUNNING:
            return job.state
        job.result = result
        kept = kind.keep_result_seconds
        job.expires_at = timezone.now() + dt.timedelta(seconds=kept) if kept and job.result_file else None
        if job.progress_total:
            job.progress_done = job.progress_total
        _finish(job, Job.State.SUCCEEDED)
    return job.state


def job_fail(*, job_id: str, error: str = "") -> None:
    """Fail an active job for good (the task gave up retrying)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is not None and job.is_active:
            _finish(job, Job.State.FAILED, error=error or _("The job could not be completed. Please ask again."))


def _locked(job: Job) -> Job:
    return Job.objects.select_for_update().get(pk=job.pk)


def _finish(job: Job, state: str, *, error: str = "") -> None:
    job.state, job.error = state, error
    job.finished_at, job.lease_until = timezone.now(), None
    job.save()


def jobs_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the jobs whose message or worker was lost: how many (beat)."""
    now = now or timezone.now()
    stale = Job.objects.filter(state=Job.State.QUEUED, requested_at__lt=now - QUEUED_GRACE, lease_until__isnull=True)
    lost = Job.objects.filter(state=Job.State.RUNNING, lease_until__lt=now)
    queued = 0
    for job_id in list(stale.values_list("pk", flat=True)) + list(lost.values_list("pk", flat=True)):
        with transaction.atomic():
            job = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None or not job.is_active:
                continue
            # Marks the requeue (a lease in the past on a queued job), so the next sweep waits for it.
            job.lease_until = now + QUEUED_GRACE
            job.save(update_fields=["lease_until"])
            queue_on_commit(RUN_TASK, str(job.pk), dedupe_key=f"job:{job.pk}:{job.attempts}:{now.timestamp()}")
            queued += 1
    return queued


def jobs_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the result files of jobs past their expiry: how many (beat)."""
    now = now or timezone.now()
    purged = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(result_file=""):
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
        purged += 1
    return purged
