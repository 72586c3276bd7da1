"""The task around job_run: eager mode never retries in the request; a worker retries with backoff."""

import datetime as dt
import time

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from jobs.models import Job
from jobs.services import MAX_ATTEMPTS, job_request
from jobs.tasks import BUSY_RETRIES, MAX_RETRIES, job_run_task, jobs_purge_expired_task, jobs_requeue_stale_task
from jobs.tests.conftest import KIND
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


class _Retried(Retry):
    pass


@pytest.fixture
def retries(monkeypatch):
    """A worker's retry, recorded instead of published: its countdowns."""
    asked: list[float] = []

    def retry(*args, countdown=None, exc=None, **kwargs):
        asked.append(countdown)
        return _Retried()

    monkeypatch.setattr(job_run_task, "retry", retry)
    return asked


def _as_worker(job_id, retries=0):
    """Run the task as a worker would (not eager) on its ``retries``-th retry."""
    job_run_task.push_request(retries=retries, is_eager=False)
    try:
        return job_run_task.run(job_id)
    finally:
        job_run_task.pop_request()


def test_eager_a_busy_job_is_left_to_its_holder_at_once(echo):
    job = JobFactory(kind=KIND, state="running", attempts=1, lease_until=timezone.now() + dt.timedelta(minutes=5))
    started = time.monotonic()
    result = job_run_task.apply(args=[str(job.pk)])
    assert result.get() == "busy"
    assert time.monotonic() - started < 1
    assert echo.runs == 0


def test_eager_a_failed_run_is_not_retried_in_the_request(echo):
    echo.fail_with = OSError("flaky")
    job = JobFactory(kind=KIND)
    with pytest.raises(OSError, match="flaky"):
        job_run_task.apply(args=[str(job.pk)])
    assert echo.runs == 1  # once, not once per retry
    job.refresh_from_db()
    assert job.state == "queued"  # for the sweep


def test_eager_a_request_whose_job_fails_still_succeeds(echo, django_capture_on_commit_callbacks):
    echo.fail_with = OSError("flaky")
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = job_request(kind=KIND, requested_by=None, dedupe_key="k")
    assert echo.runs == 1
    assert Job.objects.get(pk=job.pk).state == "queued"


def test_a_worker_retries_a_busy_job_then_leaves_it_to_the_sweep(echo, retries):
    job = JobFactory(kind=KIND, state="running", attempts=1, lease_until=timezone.now() + dt.timedelta(minutes=5))
    with pytest.raises(_Retried):
        _as_worker(str(job.pk))
    assert retries == [30]
    assert _as_worker(str(job.pk), retries=BUSY_RETRIES) == "busy"


def test_a_worker_retries_a_failed_run_with_growing_backoff_then_fails_the_job(echo, retries):
    echo.fail_with = ConnectionError("broker of the mail server")
    job = JobFactory(kind=KIND)
    for attempt in range(MAX_ATTEMPTS - 1):
        with pytest.raises(_Retried):
            _as_worker(str(job.pk), retries=attempt)
    assert retries == [5, 20, 80, 320]
    assert all(countdown <= 600 for countdown in retries)
    # The last allowed run fails the job with a message instead of raising.
    assert _as_worker(str(job.pk), retries=MAX_ATTEMPTS - 1) == "failed"
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "The job could not be completed. Please ask again.")


def test_a_worker_that_ran_out_of_retries_fails_the_job(echo, retries, monkeypatch):
    def unreachable(*, job_id):
        raise ConnectionError("the database is away")  # before any run is counted

    monkeypatch.setattr("jobs.tasks.job_run", unreachable)
    job = JobFactory(kind=KIND)
    with pytest.raises(_Retried):
        _as_worker(str(job.pk), retries=MAX_RETRIES - 1)
    assert retries == [600]
    with pytest.raises(ConnectionError):
        _as_worker(str(job.pk), retries=MAX_RETRIES)
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error
    assert retries == [600]


def test_a_worker_runs_a_job_to_success(echo, retries):
    job = JobFactory(kind=KIND, input={"say": "ok"})
    assert _as_worker(str(job.pk)) == "succeeded"
    assert Job.objects.get(pk=job.pk).result == {"echo": "ok", "run": 1}


def test_the_beat_tasks_call_their_services(echo):
    job = JobFactory(kind=KIND, state="running", attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert jobs_requeue_stale_task.apply().get() == 1
    assert Job.objects.get(pk=job.pk).requeues == 1
    assert jobs_purge_expired_task.apply().get() == 0


def test_the_beat_schedule_names_the_tasks(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["jobs-requeue-stale"]["task"] == jobs_requeue_stale_task.name
    assert schedule["jobs-requeue-stale"]["schedule"] == 60.0
    assert schedule["jobs-requeue-stale"]["options"]["expires"] == 50
    assert schedule["jobs-purge-expired"]["task"] == jobs_purge_expired_task.name
    assert schedule["jobs-purge-expired"]["schedule"] == 3600.0
