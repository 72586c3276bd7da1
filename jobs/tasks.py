from celery import shared_task
from celery.exceptions import MaxRetriesExceededError

from jobs.services import JobBusy, job_fail, job_run, jobs_purge_expired, jobs_requeue_stale


@shared_task(bind=True, max_retries=8, acks_late=True)
def job_run_task(self, job_id: str) -> str:
    """Run one job (``jobs.services.job_run``); retried with backoff on errors and while another worker holds it."""
    try:
        return job_run(job_id=job_id)
    except JobBusy as exc:
        raise self.retry(exc=exc, countdown=30) from exc
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then fails the job
        try:
            raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc
        except MaxRetriesExceededError:
            job_fail(job_id=job_id)
            raise


@shared_task
def jobs_requeue_stale_task() -> int:
    """Queue again jobs lost with their worker or their broker message (beat, every minute)."""
    return jobs_requeue_stale()


@shared_task
def jobs_purge_expired_task() -> int:
    """Delete expired result files (beat, hourly)."""
    return jobs_purge_expired()
