"""Thin tasks: ids in, one service call. ``job_run_task`` retries a failed run with backoff."""

from celery import shared_task

from jobs.services import JobBusy, job_fail, job_run, jobs_purge_expired, jobs_requeue_stale

# Retries while another worker holds the job; after that the sweep takes over (its lease lapses).
BUSY_RETRIES = 12
BUSY_COUNTDOWN = 30
# job_run fails a job after MAX_ATTEMPTS runs; this bounds errors that come before a run is counted
# (the database unreachable), busy retries included.
MAX_RETRIES = 20


@shared_task(bind=True, max_retries=None, acks_late=True)
def job_run_task(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
    """Run one job (``jobs.services.job_run``): its state afterwards.

    In-process (eager mode, no broker) nothing is retried here: a retry would run again at once,
    inside the request that queued it. A busy job is left to its holder, a failed run to the sweep.
    """
    retries = self.request.retries or 0
    try:
        return job_run(job_id=job_id)
    except JobBusy as exc:
        if self.request.is_eager or retries >= BUSY_RETRIES:
            return "busy"
        raise self.retry(exc=exc, countdown=BUSY_COUNTDOWN) from exc
    except Exception as exc:
        if self.request.is_eager:
            raise
        if retries >= MAX_RETRIES:
            job_fail(job_id=job_id)
            raise
        # 5 s, 20 s, 80 s, 320 s, then every 10 minutes: below the broker's visibility timeout.
        raise self.retry(exc=exc, countdown=min(600, 5 * 4 ** min(retries, 4))) from exc


@shared_task
def jobs_requeue_stale_task() -> int:
    """Queue again jobs lost with their worker or their broker message (beat, every minute)."""
    return jobs_requeue_stale()


@shared_task
def jobs_purge_expired_task() -> int:
    """Delete expired result files (beat, hourly)."""
    return jobs_purge_expired()
