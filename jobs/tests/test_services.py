import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.exceptions import ApplicationError
from core.models import OutboxMessage
from jobs import services
from jobs.models import Job
from jobs.services import (
    MAX_ATTEMPTS,
    MAX_REQUEUES,
    JobBusy,
    JobLost,
    JobProgress,
    job_fail,
    job_request,
    job_run,
    jobs_purge_expired,
    jobs_requeue_stale,
)
from jobs.tests.conftest import KIND
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def _request(user=None, key="cohort:1:certificates", **extra):
    return job_request(kind=KIND, requested_by=user or UserFactory(), dedupe_key=key, **extra)


# --- job_request ---------------------------------------------------------------------------------


def test_a_request_writes_a_queued_job_and_queues_its_task_after_commit(echo, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        job, created = _request(user, input={"say": "hi"}, scope="cohort:1", total=4)
    assert created
    assert (job.state, job.kind, job.input) == ("queued", KIND, {"say": "hi"})
    assert (job.scope, job.progress_total) == ("cohort:1", 4)
    assert job.requested_by == user
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == ("jobs.tasks.job_run_task", [str(job.pk)])
    assert len(callbacks) == 1  # published after the commit, not before
    assert echo.runs == 0


def test_the_task_runs_the_job_once_committed(echo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = _request(input={"say": "hi"})
    job.refresh_from_db()
    assert (job.state, job.result) == ("succeeded", {"echo": "hi", "run": 1})
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.attempts == 1
    assert job.started_at <= job.finished_at
    assert job.lease_until is None


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(echo, django_capture_on_commit_callbacks):
    def rolled_back():
        with transaction.atomic():
            _request()
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        rolled_back()
    assert not Job.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert echo.runs == 0


def test_a_second_identical_request_while_one_is_active_returns_it(echo):
    first, created = _request()
    second, again = _request()  # someone else, same key
    assert created
    assert not again
    assert second.pk == first.pk
    assert Job.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_running_job_is_returned_too(echo):
    first, _ = _request()
    Job.objects.filter(pk=first.pk).update(state="running", lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert _request()[0].pk == first.pk


@pytest.mark.parametrize("state", ["succeeded", "failed"])
def test_a_request_after_the_job_finished_makes_a_new_one(echo, state):
    first, _ = _request()
    Job.objects.filter(pk=first.pk).update(state=state, finished_at=timezone.now())
    second, created = _request()
    assert created
    assert second.pk != first.pk
    assert Job.objects.count() == 2


def test_a_duplicate_does_not_break_the_callers_transaction(echo):
    with transaction.atomic():
        first, _ = _request()
        _request()
        UserFactory()  # the transaction is still usable
    assert Job.objects.get().pk == first.pk


def test_unknown_kinds_and_bad_keys_are_refused():
    with pytest.raises(ApplicationError) as error:
        job_request(kind="no.such.kind", requested_by=None, dedupe_key="k")
    assert error.value.message == "Unknown kind of job."


def test_bad_keys_and_scopes_are_refused(echo):
    for key in ("", "k" * 201):
        with pytest.raises(ApplicationError):
            _request(key=key)
    with pytest.raises(ApplicationError):
        _request(scope="s" * 65)
    assert not Job.objects.exists()


# --- progress ------------------------------------------------------------------------------------


def _running(**fields):
    fields.setdefault("lease_until", timezone.now() + dt.timedelta(minutes=1))
    return JobFactory(state="running", attempts=1, **fields)


def _lost() -> None:
    """The broker took the job's message, then lost it (a Redis restart without persistence)."""
    OutboxMessage.objects.update(state=OutboxMessage.State.SENT, published_at=timezone.now())


def test_progress_is_clamped_and_renews_the_lease():
    job = _running(lease_until=timezone.now())
    progress = JobProgress(job)
    progress.set_total(4)
    progress.advance(3)
    progress.advance(5)  # beyond the total
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (4, 4)
    assert job.lease_until > timezone.now() + dt.timedelta(minutes=5)
    progress.set_done(-3)
    job.refresh_from_db()
    assert job.progress_done == 0
    progress.set_done(2)
    progress.set_total(1)  # a smaller total takes done down with it
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent) == (1, 1, 100)


def test_without_a_total_progress_counts_up_and_percent_stays_zero():
    job = _running()
    progress = JobProgress(job)
    progress.advance(7)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent) == (7, 0, 0)


def test_percent():
    assert JobFactory.build(progress_done=1, progress_total=3).percent == 33
    assert JobFactory.build(state="succeeded", progress_done=0, progress_total=0).percent == 100


def test_a_run_whose_job_was_taken_over_may_not_write():
    job = _running()
    progress = JobProgress(job)
    Job.objects.filter(pk=job.pk).update(attempts=2)  # a later run took it
    with pytest.raises(JobLost):
        progress.advance()
    with pytest.raises(JobLost):
        progress.save_result(name="x.pdf", content=b"x", content_type="application/pdf")
    job.refresh_from_db()
    assert job.progress_done == 0
    assert not job.result_file


def test_result_files_get_a_random_name_under_media_root(settings):
    job = _running()
    progress = JobProgress(job)
    progress.save_result(name="../../Zertifikat ł.pdf", content=b"%PDF-1", content_type="application/pdf")
    first = Path(job.result_file.path)
    progress.save_result(name="again.pdf", content=b"%PDF-2", content_type="application/pdf")
    job.refresh_from_db()
    path = Path(job.result_file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "jobs")
    assert str(job.pk) not in job.result_file.name
    assert len(path.stem) >= 32  # 24 random bytes
    assert path.read_bytes() == b"%PDF-2"
    assert not first.exists()  # the older file is gone
    assert job.result_name == "again.pdf"
    assert job.result_content_type == "application/pdf"


# --- job_run -------------------------------------------------------------------------------------


def test_a_job_held_by_another_worker_is_busy(echo):
    job = _running(kind=KIND)
    with pytest.raises(JobBusy):
        job_run(job_id=str(job.pk))
    assert echo.runs == 0


def test_a_job_whose_lease_lapsed_is_taken_over(echo):
    job = _running(kind=KIND, lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert job_run(job_id=str(job.pk)) == "succeeded"
    job.refresh_from_db()
    assert job.attempts == 2
    assert echo.runs == 1


@pytest.mark.parametrize("state", ["succeeded", "failed"])
def test_a_finished_job_does_not_run_again(echo, state):
    job = JobFactory(kind=KIND, state=state, finished_at=timezone.now())
    assert job_run(job_id=str(job.pk)) == state
    assert echo.runs == 0


def test_a_job_that_no_longer_exists():
    assert job_run(job_id="7f1b5b6e-0000-4000-8000-000000000000") == "missing"


def test_a_job_of_an_unregistered_kind_fails():
    job = JobFactory(kind="gone.kind")
    assert job_run(job_id=str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.error == "The job could not be completed. Please ask again."


def test_an_application_error_fails_the_job_with_its_message_at_once(echo):
    echo.fail_with = ApplicationError("The cohort has no completed enrolments.")
    job = JobFactory(kind=KIND)
    assert job_run(job_id=str(job.pk)) == "failed"
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == ("failed", "The cohort has no completed enrolments.", 1)
    assert job.finished_at is not None
    assert job.lease_until is None


def test_an_application_error_with_field_errors_only_shows_them(echo):
    echo.fail_with = ApplicationError(field_errors={"cohort": ["No cohort."]})
    job = JobFactory(kind=KIND)
    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.error == "No cohort."


def test_a_failed_job_keeps_no_partial_file(echo, django_capture_on_commit_callbacks):
    job = _running(kind=KIND)
    JobProgress(job).save_result(name="part.zip", content=b"PK", content_type="application/zip")
    path = Path(Job.objects.get(pk=job.pk).result_file.path)
    with django_capture_on_commit_callbacks(execute=True):
        job_fail(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.state == "failed"
    assert not job.result_file
    assert not path.exists()


def test_any_other_error_puts_the_job_back_in_the_queue_and_is_raised(echo):
    echo.fail_with = OSError("disk full")
    job = JobFactory(kind=KIND)
    with pytest.raises(OSError, match="disk full"):
        job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == ("queued", 1, "")
    # Held for the task's own retry: the sweep leaves it alone meanwhile.
    assert job.lease_until > timezone.now() + dt.timedelta(minutes=10)
    assert jobs_requeue_stale(now=timezone.now() + dt.timedelta(minutes=5)) == 0


def test_the_last_allowed_attempt_fails_the_job_with_a_message(echo):
    echo.fail_with = OSError("still broken")
    job = JobFactory(kind=KIND)
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(OSError, match="still broken"):
            job_run(job_id=str(job.pk))
    assert job_run(job_id=str(job.pk)) == "failed"
    job.refresh_from_db()
    assert (job.attempts, job.error) == (MAX_ATTEMPTS, "The job could not be completed. Please ask again.")
    assert echo.runs == MAX_ATTEMPTS
    assert job_run(job_id=str(job.pk)) == "failed"  # and stays so
    assert echo.runs == MAX_ATTEMPTS


def test_a_transient_error_then_success(echo):
    echo.fail_with, echo.fail_times = ConnectionError("flaky"), 1
    job = JobFactory(kind=KIND)
    with pytest.raises(ConnectionError):
        job_run(job_id=str(job.pk))
    assert job_run(job_id=str(job.pk)) == "succeeded"
    job.refresh_from_db()
    assert (job.attempts, job.result["run"]) == (2, 2)


def test_success_with_a_file_sets_its_expiry(echo, settings):
    settings.CONCORD_JOB_RESULT_DAYS = 3
    echo.file = b"%PDF-1.4"
    job = JobFactory(kind=KIND)
    before = timezone.now()
    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.expires_at - before >= dt.timedelta(days=3)
    assert job.expires_at - before < dt.timedelta(days=3, minutes=1)
    assert job.has_result_file()
    assert not job.has_result_file(now=job.expires_at + dt.timedelta(seconds=1))


def test_a_run_that_lost_its_job_records_nothing(echo, monkeypatch):
    job = JobFactory(kind=KIND)

    def taken_over(job, progress):
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)  # the sweep and another worker
        progress.advance()
        return {}

    monkeypatch.setattr(echo, "run", taken_over)
    assert job_run(job_id=str(job.pk)) == "running"
    assert Job.objects.get(pk=job.pk).progress_done == 0


# --- the sweep -----------------------------------------------------------------------------------


def _later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_queued_job_whose_message_was_lost_is_queued_again(echo, django_capture_on_commit_callbacks):
    job, _ = _request()
    _lost()
    assert jobs_requeue_stale(now=_later(1)) == 0  # still within its grace
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stale(now=_later(3)) == 1
    job.refresh_from_db()
    assert (job.state, job.requeues, job.result["run"]) == ("succeeded", 1, 1)


def test_a_queued_job_whose_message_waits_for_the_broker_is_left_to_the_outbox(echo):
    _request()  # its outbox message is still pending (the broker is down)
    assert jobs_requeue_stale(now=_later(30)) == 0
    assert OutboxMessage.objects.count() == 1


def test_a_requeued_job_is_requeued_again_only_after_its_hold_and_then_failed(echo):
    job, _ = _request()
    _lost()
    now = timezone.now() + services.QUEUED_GRACE + dt.timedelta(seconds=1)
    holds = []
    for round_ in range(MAX_REQUEUES):
        assert jobs_requeue_stale(now=now) == 1, round_
        assert jobs_requeue_stale(now=now) == 0  # the next sweep waits for this message
        hold = Job.objects.get(pk=job.pk).lease_until - now
        holds.append(hold)
        assert jobs_requeue_stale(now=now + hold - dt.timedelta(seconds=1)) == 0
        _lost()  # and again
        now += hold + dt.timedelta(seconds=1)
    assert [hold // services.QUEUED_GRACE for hold in holds] == [1, 2, 4, 8, 16, 32]
    assert jobs_requeue_stale(now=now) == 0
    job.refresh_from_db()
    assert (job.state, job.requeues) == ("failed", MAX_REQUEUES)
    assert job.error
    assert jobs_requeue_stale(now=now + dt.timedelta(hours=1)) == 0
    assert echo.runs == 0


def test_a_running_job_whose_lease_lapsed_is_queued_again_and_runs(echo, django_capture_on_commit_callbacks):
    job = _running(kind=KIND, lease_until=timezone.now() + dt.timedelta(seconds=30))
    assert jobs_requeue_stale(now=timezone.now()) == 0  # its worker is alive
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stale(now=_later(1)) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.requeues) == ("succeeded", 2, 1)


def test_finished_jobs_are_not_swept(echo):
    JobFactory(kind=KIND, state="succeeded", finished_at=timezone.now())
    JobFactory(kind=KIND, state="failed", finished_at=timezone.now())
    assert jobs_requeue_stale(now=_later(60)) == 0


# --- purge ---------------------------------------------------------------------------------------


def test_expired_result_files_are_deleted_and_the_rows_kept(echo):
    echo.file = b"%PDF"
    job = JobFactory(kind=KIND)
    job_run(job_id=str(job.pk))
    kept = JobFactory(kind=KIND)
    job_run(job_id=str(kept.pk))
    job.refresh_from_db()
    path = Path(job.result_file.path)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert jobs_purge_expired() == 1
    job.refresh_from_db()
    assert not path.exists()
    assert not job.result_file
    assert job.state == "succeeded"
    kept.refresh_from_db()
    assert Path(kept.result_file.path).exists()
    assert jobs_purge_expired() == 0


def test_a_purge_survives_a_file_already_gone(echo):
    echo.file = b"%PDF"
    job = JobFactory(kind=KIND)
    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    Path(job.result_file.path).unlink()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert jobs_purge_expired() == 1
