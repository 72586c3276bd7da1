"""The outbox: queued tasks commit or roll back with the work, publish once on commit without
retrying, stay pending when the broker refuses, and are published by the sweep later, once."""

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from celery import current_app, shared_task
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models import OutboxMessage
from core.outbox import outbox_publish, outbox_purge, outbox_sweep, queue_on_commit

pytestmark = pytest.mark.django_db

RAN: list[tuple[Any, ...]] = []


@shared_task(name="core.tests.record_task")
def record_task(*args: Any, **kwargs: Any) -> None:
    RAN.append((args, kwargs))


@shared_task(name="core.tests.failing_task")
def failing_task() -> None:
    raise RuntimeError("the task itself failed")


class Broker:
    """Stands in for the broker at Celery's edge (apply_async / send_task): records, or refuses."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []
        self.down = False
        self.barrier: threading.Barrier | None = None

    def publish(self, name: str, args: Any = None, kwargs: Any = None, **options: Any) -> None:
        barrier = self.barrier
        if barrier is not None:
            barrier.wait(timeout=10)  # both sweeps hold a row at once: each must have skipped the other's
            self.barrier = None
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.published.append({"name": name, "args": list(args or ()), "kwargs": dict(kwargs or {}), **options})


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Broker]:
    """A worker's setup (tasks are published, not run in-process) with a fake broker."""
    fake = Broker()
    task = current_app.tasks[record_task.name]
    monkeypatch.setattr(
        task, "apply_async", lambda args=None, kwargs=None, **o: fake.publish(task.name, args, kwargs, **o)
    )
    monkeypatch.setattr(current_app, "send_task", fake.publish)
    eager = current_app.conf.task_always_eager  # Celery's settings object cannot be monkeypatched
    current_app.conf.task_always_eager = False
    yield fake
    current_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _forget_runs() -> None:
    RAN.clear()


def _age(seconds: int) -> None:
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(seconds=seconds))


# --- on commit ------------------------------------------------------------------------------------


def test_a_queued_task_is_written_at_once_and_published_after_the_commit(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue_on_commit(record_task, 7, "enrolled", notice="n-1")
        assert message is not None
        stored = OutboxMessage.objects.get()
        assert (stored.task_name, stored.args, stored.kwargs) == (
            "core.tests.record_task",
            [7, "enrolled"],
            {"notice": "n-1"},
        )
        assert stored.state == OutboxMessage.State.PENDING
        assert broker.published == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert broker.published == [
        {
            "name": "core.tests.record_task",
            "args": [7, "enrolled"],
            "kwargs": {"notice": "n-1"},
            "retry": False,
            "ignore_result": True,
        }
    ]
    stored.refresh_from_db()
    assert stored.state == OutboxMessage.State.SENT
    assert stored.published_at is not None
    assert stored.attempts == 1


def test_a_rolled_back_transaction_leaves_no_row_and_publishes_nothing(broker, django_capture_on_commit_callbacks):
    def work() -> None:
        with transaction.atomic():
            queue_on_commit(record_task, 1)
            raise RuntimeError("the work failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        work()
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert broker.published == []


def test_a_refused_publish_is_tried_once_without_retries_and_the_row_stays_pending(
    broker, django_capture_on_commit_callbacks, monkeypatch
):
    broker.down = True
    calls: list[dict[str, Any]] = []
    task = current_app.tasks[record_task.name]
    refuse = task.apply_async

    def counting(*args: Any, **options: Any) -> None:
        calls.append(options)
        refuse(*args, **options)

    monkeypatch.setattr(task, "apply_async", counting)
    with django_capture_on_commit_callbacks(execute=True):
        queue_on_commit(record_task, 1)  # no exception reaches the request
    assert len(calls) == 1
    assert calls[0]["retry"] is False  # the request does not wait for kombu's retries
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert "OperationalError" in message.last_error


def test_a_task_named_but_not_imported_here_is_published_by_name(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_on_commit("reports.tasks.somewhere_else_task", 3)
    assert [(p["name"], p["args"], p["retry"]) for p in broker.published] == [
        ("reports.tasks.somewhere_else_task", [3], False)
    ]


def test_arguments_must_be_json():
    with pytest.raises(TypeError):
        queue_on_commit(record_task, object())
    with pytest.raises(TypeError):
        queue_on_commit(record_task, when=dt.date(2030, 1, 1))


# --- dedupe keys ----------------------------------------------------------------------------------


def test_a_dedupe_key_queues_once(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert queue_on_commit(record_task, 1, dedupe_key="cancel:5:2") is not None
        assert queue_on_commit(record_task, 1, dedupe_key="cancel:5:2") is None
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_on_commit(record_task, 1, dedupe_key="cancel:5:2") is None  # later, once published too
        assert queue_on_commit(record_task, 1, dedupe_key="cancel:5:3") is not None
    assert len(callbacks) == 1
    assert [p["args"] for p in broker.published] == [[1], [1]]
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["cancel:5:2", "cancel:5:3"]


def test_a_duplicate_key_does_not_break_the_callers_transaction(broker):
    with transaction.atomic():
        queue_on_commit(record_task, 1, dedupe_key="k")
        queue_on_commit(record_task, 2, dedupe_key="k")
        queue_on_commit(record_task, 3)  # the transaction still works after the refused insert
        queue_on_commit(record_task, 4)  # rows without a key never collide
    assert sorted(args for (args,) in OutboxMessage.objects.values_list("args")) == [[1], [3], [4]]


# --- the sweep ------------------------------------------------------------------------------------


def test_the_sweep_publishes_what_stayed_pending_once(broker, django_capture_on_commit_callbacks):
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        queue_on_commit(record_task, 1)
        queue_on_commit(record_task, 2)
    assert outbox_sweep() == 0  # too young: left to the request that wrote them
    _age(60)
    with django_capture_on_commit_callbacks(execute=True):
        queue_on_commit(record_task, 3)  # young, and its own publish fails: left for a later sweep
    assert outbox_sweep() == 0  # still down: stops at the first refusal
    assert OutboxMessage.objects.get(args=[1]).attempts == 2
    assert OutboxMessage.objects.get(args=[2]).attempts == 1  # not tried against a broker known to be down

    broker.down = False
    assert outbox_sweep() == 2
    assert outbox_sweep() == 0
    assert [p["args"] for p in broker.published] == [[1], [2]]
    assert all(p["retry"] is False for p in broker.published)
    assert list(OutboxMessage.objects.filter(state="pending").values_list("args", flat=True)) == [[3]]


def test_a_row_published_by_its_request_is_not_published_again(broker):
    message = OutboxMessage.objects.create(task_name=record_task.name, args=[1])
    assert outbox_publish(message_id=message.pk) is True
    assert outbox_publish(message_id=message.pk) is False
    _age(60)
    assert outbox_sweep() == 0
    assert len(broker.published) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_publish_each_row_once(broker):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (skip_locked) need PostgreSQL")
    for n in range(6):
        OutboxMessage.objects.create(task_name=record_task.name, args=[n])
    _age(60)
    broker.barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            counts.append(outbox_sweep())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sum(counts) == 6
    assert sorted(p["args"][0] for p in broker.published) == list(range(6))


def test_old_sent_rows_are_purged_and_pending_ones_kept(broker):
    now = timezone.now()
    old = OutboxMessage.objects.create(task_name="t", state="sent", published_at=now - dt.timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name="t", state="sent", published_at=now - dt.timedelta(days=1))
    pending = OutboxMessage.objects.create(task_name="t")
    _age(30 * 86400)
    assert outbox_purge(now=now) == (1, 0)
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


# --- without a broker (eager) ---------------------------------------------------------------------


def test_without_a_broker_the_task_runs_in_process_after_the_commit(django_capture_on_commit_callbacks):
    assert current_app.conf.task_always_eager
    with django_capture_on_commit_callbacks(execute=True):
        queue_on_commit(record_task, 1, event="enrolled")
        assert RAN == []
    assert RAN == [((1,), {"event": "enrolled"})]
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


def test_without_a_broker_a_failing_task_is_logged_and_the_work_stands(django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        queue_on_commit(failing_task)
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT
    assert "the task itself failed" in caplog.text
