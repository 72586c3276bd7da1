"""Two identical requests, and two runs of one job, at the same moment (threads against PostgreSQL)."""

from django.db import transaction

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from core.tests.threads import at_once
from jobs.models import Job
from jobs.services import JobBusy, job_request, job_run
from jobs.tests.conftest import KIND
from jobs.tests.factories import JobFactory


def test_two_identical_requests_at_once_make_one_job(postgres, echo, monkeypatch):
    # Only the request is raced here: the runs would be eager, in the same threads.
    monkeypatch.setattr("jobs.services.queue_on_commit", lambda *args, **kwargs: None)
    first, second = UserFactory(), UserFactory()

    def ask(user):
        def call():
            with transaction.atomic():
                job, created = job_request(kind=KIND, requested_by=user, dedupe_key="cohort:7:certificates")
                return job.pk, created

        return call

    done, refused = at_once(ask(first), ask(second))
    assert not refused, refused
    assert len({pk for pk, _ in done}) == 1
    assert sorted(created for _, created in done) == [False, True]
    assert Job.objects.count() == 1


def test_two_runs_of_one_job_at_once_run_its_kind_once(postgres, echo):
    echo.pause = 0.6  # long enough for the second run to arrive while the first holds the job
    job = JobFactory(kind=KIND)
    done, refused = at_once(lambda: job_run(job_id=str(job.pk)), lambda: job_run(job_id=str(job.pk)))
    assert done == ["succeeded"]
    assert [type(exc) for exc in refused] == [JobBusy]
    assert (echo.runs, echo.most_at_once) == (1, 1)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("succeeded", 1)
    assert not OutboxMessage.objects.exists()
