"""A real Celery worker against the real Redis broker runs a task to completion."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery_app import app
from core.tasks import send_mail_task

pytestmark = pytest.mark.services


@pytest.fixture
def redis_app():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    previous = {
        key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager", "task_eager_propagates")
    }
    _forget_connections(app)
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        yield app
    finally:
        app.conf.update(previous)
        _forget_connections(app)


def _forget_connections(app):
    """Celery caches its connection pool, producers and per-thread result backend; tests before us made them."""
    app.close()
    app.amqp._producer_pool = None
    vars(app._local).pop("backend", None)


def test_worker_completes_a_task_published_to_redis(redis_app):
    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = send_mail_task.delay("Concord", "The worker is alive.", ["someone@example.org"])
        assert result.get(timeout=60) == 1
    assert result.successful()
    assert [m.subject for m in mail.outbox] == ["Concord"]
