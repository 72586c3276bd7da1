"""A Redis outage loses no email and breaks no page (found by fault injection).

With the broker down, a request that queues mail answers at once and leaves its task in the
outbox; once Redis is back, the sweep publishes it and a real worker sends every email once. With
the cache's Redis down, cached pages and rate-limited sign-in answer as if the cache were empty.
"""

import datetime as dt
import os
import socket
import time
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from config.celery_app import app
from core.models import OutboxMessage
from core.outbox import outbox_sweep, queue_on_commit
from core.tasks import outbox_sweep_task, send_mail_task
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.models import Session
from trainings.tests.factories import CohortFactory, SessionFactory

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused
EVERYONE = ["a@example.org", "b@example.org", "fac@example.org"]


def _forget_connections() -> None:
    """Celery caches its connection pool, queues, routes, producers and per-thread result backend; drop them.

    Not with ``app.close()``: it also takes the app off Celery's list of apps, and the shared tasks
    of a module imported afterwards (the URLconf's, at the first request) would not be registered.
    """
    app._pool = None
    vars(app).pop("amqp", None)  # made again from the settings of the moment
    vars(app._local).pop("backend", None)


@contextmanager
def _celery(**conf: object) -> Iterator[None]:
    previous = {key: app.conf[key] for key in conf}
    _forget_connections()
    app.conf.update(conf)
    try:
        yield
    finally:
        app.conf.update(previous)
        _forget_connections()


@contextmanager
def _deleted_afterwards(queue: str) -> Iterator[None]:
    try:
        yield
    finally:
        with app.connection_for_write() as conn:
            bound = app.amqp.queues[queue].bind(conn.default_channel)
            bound.declare()  # known to this channel, so that delete() also drops its bindings
            bound.delete()


def _wait_for(condition: Callable[[], bool], *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _cancellable_session() -> Session:
    cohort = CohortFactory(
        start_date=dt.date(2030, 5, 13),
        end_date=dt.date(2030, 5, 17),
        facilitators=[FacilitatorFactory(email="fac@example.org")],
    )
    for email in ("a@example.org", "b@example.org"):
        EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(user__email=email))
    return SessionFactory(
        cohort=cohort,
        title="Day 1\nBriefing",
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 10, 30, tzinfo=WARSAW),
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # the worker thread reads what the request committed
def test_mail_queued_while_the_broker_is_down_is_sent_once_when_it_is_back(client):
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    session = _cancellable_session()
    client.force_login(CoordinatorFactory())

    with _celery(broker_url=DEAD_REDIS, result_backend=DEAD_REDIS, task_always_eager=False):
        started = time.monotonic()
        response = client.post(reverse("portal:session_cancel", kwargs={"pk": session.pk}), {"reason": "Flooded."})
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert elapsed < 5, f"the request waited {elapsed:.1f} s for the broker"  # it used to hang ~19 s
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    assert mail.outbox == []

    # A queue of its own: a worker test running at the same time (xdist) neither takes nor leaves its messages.
    queue = f"concord-test-{uuid.uuid4().hex}"
    with (
        _celery(broker_url=redis_url, result_backend=redis_url, task_always_eager=False, task_default_queue=queue),
        _deleted_afterwards(queue),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        # What beat does every 30 s, run now by the worker itself; the row is old enough by then.
        OutboxMessage.objects.update(created_at=message.created_at - dt.timedelta(minutes=1))
        assert outbox_sweep_task.apply_async().get(timeout=30) == 1
        assert _wait_for(lambda: len(mail.outbox) >= len(EVERYONE), timeout=60), mail.outbox
        assert outbox_sweep(grace=dt.timedelta(0)) == 0  # nothing left to publish
        time.sleep(1)  # time for a duplicate to arrive, were there one

    assert Counter(m.to[0] for m in mail.outbox) == Counter(EVERYONE)
    assert {m.subject for m in mail.outbox} == {"Cancelled: Day 1 Briefing, 14 May 2030 09:00–10:30 (Europe/Warsaw)"}
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A Redis URL whose server accepts connections and never answers (a half-open connection)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:  # the kernel accepts; nobody reads
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


@pytest.mark.django_db
@pytest.mark.parametrize("broker", ["refused", "silent"])
def test_a_publish_to_a_dead_broker_gives_up_within_about_a_second(
    broker, silent_redis, django_capture_on_commit_callbacks
):
    """The settings bound a real kombu publish: no retries, short socket timeouts, no result backend."""
    url = DEAD_REDIS if broker == "refused" else silent_redis
    with _celery(broker_url=url, result_backend=url, task_always_eager=False):
        with django_capture_on_commit_callbacks() as callbacks:
            queue_on_commit(send_mail_task, "Subject", "Body", ["someone@example.org"])
        started = time.monotonic()
        for callback in callbacks:
            callback()
        elapsed = time.monotonic() - started
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 1)
    assert elapsed < 3, f"the publish waited {elapsed:.1f} s"


# --- the cache's Redis is down --------------------------------------------------------------------

RESILIENT_DEAD_CACHE = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS}}
PLAIN_DEAD_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}


@pytest.mark.django_db
def test_with_the_cache_down_the_cohort_page_and_token_sign_in_answer(client, api_client):
    cohort = CohortFactory()
    SessionFactory(cohort=cohort)
    coordinator = CoordinatorFactory(email="ada@example.org")
    client.force_login(coordinator)
    sign_in = {"email": "ada@example.org", "password": "concord-pass-1"}

    with override_settings(CACHES=PLAIN_DEAD_CACHE):
        # What the fault-injection review found: Django's own Redis cache turns the outage into 500s.
        with pytest.raises(RedisConnectionError):
            client.get(cohort.get_absolute_url())
        with pytest.raises(RedisConnectionError):
            api_client.post("/api/v1/auth/token/", sign_in)

    with override_settings(CACHES=RESILIENT_DEAD_CACHE):
        page = client.get(cohort.get_absolute_url())
        assert page.status_code == 200
        assert cohort.name in page.content.decode()
        token = api_client.post("/api/v1/auth/token/", sign_in)
        assert token.status_code == 200
        assert token.json()["token"]
        # allauth's rate limits use the cache too: the sign-in page still answers.
        assert api_client.post("/api/v1/auth/token/", {**sign_in, "password": "wrong"}).status_code == 400
        login = Client().post("/accounts/login/", {"login": "ada@example.org", "password": "wrong"})
        assert login.status_code == 200
        assert login.context["form"].errors
