"""A job asked for while Redis is down: the request answers at once, the job waits queued, and once
the broker is back the outbox sweep publishes it and a real worker runs it to the end.

The job is a long roster import's commit (``participants.roster_commit``), asked for from its page.
"""

import datetime as dt
import os
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory
from config.celery_app import app
from core.models import OutboxMessage
from core.outbox import outbox_sweep
from core.tasks import outbox_sweep_task
from jobs.models import Job
from jobs.services import jobs_requeue_stale
from participants import services
from participants.models import Enrolment, RosterImport
from tests.test_redis_outage import DEAD_REDIS, _celery, _deleted_afterwards, _wait_for
from trainings.tests.factories import CohortFactory

HEADER = "email,first_name,last_name,agency,position,country,preferred_language"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # the worker thread reads what the request committed
def test_a_job_asked_for_while_the_broker_is_down_runs_once_it_is_back(client, settings):
    settings.CONCORD_ROSTER_JOB_ROWS = 3
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=20)
    content = "\n".join([HEADER, *(f"p{i}@example.org,P,{i},,,," for i in range(6))]) + "\n"
    roster_import = services.roster_import_create(
        cohort=cohort, uploaded_by=coordinator, filename="long.csv", content=content.encode()
    )
    client.force_login(coordinator)
    url = reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})

    with _celery(broker_url=DEAD_REDIS, result_backend=DEAD_REDIS, task_always_eager=False):
        started = time.monotonic()
        response = client.post(url, {"action": "commit"})
        elapsed = time.monotonic() - started
        page = client.get(url)  # the page answers too, and shows the waiting job
    assert response.status_code == 302
    assert elapsed < 5, f"the request waited {elapsed:.1f} s for the broker"
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED
    assert f'id="job-{job.pk}"' in page.content.decode()
    message = OutboxMessage.objects.get()
    assert (message.state, message.args) == (OutboxMessage.State.PENDING, [str(job.pk)])
    assert "Connection refused" in message.last_error
    # The jobs sweep leaves a job whose message still waits for the broker to the outbox.
    assert jobs_requeue_stale(now=job.requested_at + dt.timedelta(minutes=10)) == 0

    queue = f"concord-test-{uuid.uuid4().hex}"
    with (
        _celery(broker_url=redis_url, result_backend=redis_url, task_always_eager=False, task_default_queue=queue),
        _deleted_afterwards(queue),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        # What beat does every 30 s, run now by the worker itself; the row is old enough by then.
        OutboxMessage.objects.update(created_at=message.created_at - dt.timedelta(minutes=1))
        assert outbox_sweep_task.apply_async().get(timeout=30) == 1
        assert _wait_for(lambda: Job.objects.get(pk=job.pk).state == Job.State.SUCCEEDED, timeout=60), Job.objects.get(
            pk=job.pk
        )
        assert outbox_sweep(grace=dt.timedelta(0)) == 0  # nothing left to publish

    job.refresh_from_db()
    assert (job.attempts, job.progress_done, job.progress_total) == (1, 6, 6)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert Enrolment.objects.filter(cohort=cohort).count() == 6
