"""Certificates are never lost and never issued twice, with real worker processes and a real Redis.

A private ``redis-server`` (started and stopped by the test, on a port of its own: the machine's Redis
and the other tests are left alone) is the broker; ``celery worker`` processes (``tests.worker_process``)
run against the test's PostgreSQL database. A worker is SIGKILLed in the middle of a cohort's batch, and
Redis is stopped while a coordinator asks for certificates and while a batch runs. Each time, every
certificate ends ready, with one row and one file per person, and the web request answers at once.
"""

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory
from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.tests.factories import attend, enrolled, held_session, past_cohort
from core.models import OutboxMessage
from core.outbox import outbox_sweep
from jobs.models import Job
from jobs.services import jobs_requeue_stale
from tests.test_redis_outage import _celery
from tests.worker_process import media_root_for_workers, wait_until, worker_env, worker_kill, worker_process
from trainings.models import Cohort

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("workers")]

PEOPLE = 80


@dataclass
class Broker:
    """A redis-server of the test's own; ``stop`` loses every message, as a restart without persistence does."""

    port: int
    folder: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI") == "true":
                pytest.fail("redis-server is not installed")
            pytest.skip("redis-server is not installed")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [*command, "--dir", str(self.folder)], stdout=subprocess.DEVNULL
        )
        wait_until(self._answers, timeout=10, what="redis-server to listen")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker(postgres: None, tmp_path: Path) -> Iterator[Broker]:
    broker = Broker(port=_free_port(), folder=tmp_path)
    broker.start()
    try:
        with _celery(broker_url=broker.url, result_backend=None, task_always_eager=False):
            yield broker
    finally:
        broker.stop()


def _cohort(people: int = PEOPLE) -> Cohort:
    """A cohort that ended, where everyone attended its one session: all eligible."""
    cohort = past_cohort()
    session = held_session(cohort)
    for _ in range(people):
        attend(enrolled(cohort), session)
    return cohort


def _job(cohort: Cohort) -> Job:
    return Job.objects.get(scope=f"cohort:{cohort.pk}")


def _assert_every_certificate_ready_once(cohort: Cohort, media: Path, people: int = PEOPLE) -> None:
    certificates = list(Certificate.objects.filter(cohort=cohort))
    assert len(certificates) == people
    assert {c.status for c in certificates} == {Certificate.Status.READY}
    assert {c.revision for c in certificates} == {1}
    files = sorted(path.name for path in media.glob("certificates/*/*.pdf"))
    assert files == sorted(f"{c.code}-r1.pdf" for c in certificates), "one file per certificate, no orphan"


def _env(broker: Broker, media: Path) -> dict[str, str]:
    return worker_env(redis_url=broker.url, media_root=media)


def test_a_worker_killed_mid_batch_is_replaced_and_every_certificate_ends_ready(broker, tmp_path):
    media = media_root_for_workers(tmp_path)
    cohort, coordinator = _cohort(), CoordinatorFactory()
    with worker_process(env=_env(broker, media)) as first:
        job, created = certificate_issue(cohort=cohort, participants=None, by=coordinator)
        assert created
        wait_until(lambda: _job(cohort).progress_done >= 5, timeout=90, what="the batch to be under way")
        worker_kill(first)
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING
    assert Certificate.objects.filter(cohort=cohort, status=Certificate.Status.READY).count() < PEOPLE
    # Its message is with the dead worker until Redis's visibility timeout; the job's lease says it is lost.
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert jobs_requeue_stale() == 1
    with worker_process(env=_env(broker, media)):
        wait_until(lambda: _job(cohort).state == Job.State.SUCCEEDED, timeout=120, what="the batch to finish")
    _assert_every_certificate_ready_once(cohort, media)
    job.refresh_from_db()
    assert job.result["ready"] == PEOPLE
    assert job.progress_done == job.progress_total == PEOPLE


def test_with_redis_stopped_the_request_answers_and_the_batch_ends_ready_once_it_is_back(broker, tmp_path):
    media = media_root_for_workers(tmp_path)
    cohort, coordinator = _cohort(), CoordinatorFactory()
    client = Client()
    client.force_login(coordinator)
    broker.stop()

    started = time.monotonic()
    response = client.post(reverse("certificates:cohort_issue", args=[cohort.slug]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 5, f"the request waited {elapsed:.1f} s for a dead broker"
    job = _job(cohort)
    assert job.state == Job.State.QUEUED
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, args=[str(job.pk)]).count() == 1

    broker.start()
    with worker_process(env=_env(broker, media)):
        assert outbox_sweep(grace=dt.timedelta(0)) == 1  # beat's sweep, once the broker is back
        wait_until(lambda: _job(cohort).progress_done >= 5, timeout=90, what="the batch to be under way")
        broker.stop()  # and Redis goes down again in the middle of the batch
        time.sleep(1)
        broker.start()
        wait_until(lambda: not _job(cohort).is_active, timeout=120, what="the batch to finish")
    assert _job(cohort).state == Job.State.SUCCEEDED
    _assert_every_certificate_ready_once(cohort, media)


def test_a_message_lost_with_a_redis_restart_is_queued_again_by_the_sweep(broker, tmp_path):
    media = media_root_for_workers(tmp_path)
    cohort, coordinator = _cohort(people=10), CoordinatorFactory()
    job, _created = certificate_issue(cohort=cohort, participants=None, by=coordinator)
    assert OutboxMessage.objects.get(args=[str(job.pk)]).state == OutboxMessage.State.SENT
    broker.stop()  # no worker took it yet, and Redis keeps nothing on disk: the message is gone
    broker.start()
    with worker_process(env=_env(broker, media)):
        time.sleep(3)
        assert _job(cohort).state == Job.State.QUEUED
        Job.objects.filter(pk=job.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=5))
        assert jobs_requeue_stale() == 1
        wait_until(lambda: _job(cohort).state == Job.State.SUCCEEDED, timeout=90, what="the job to run")
    _assert_every_certificate_ready_once(cohort, media, people=10)
    assert connection.vendor == "postgresql"
