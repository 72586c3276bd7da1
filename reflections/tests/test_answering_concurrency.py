"""The same person submitting twice at once (two tabs, a double tap), in threads against PostgreSQL: one response.

Both requests pass their own checks before either has written; the administration's row lock serves
them one after the other, and the second finds the completion and is refused. Also checks that two
sweeps at once remind each person once.
"""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from reflections import services
from reflections.models import Completion, Reminder, ReminderDelivery, Response
from reflections.tests.answer_world import answer_world

ROUNDS = 5
MEET = 0.25  # seconds a thread waits for the other before going


@pytest.fixture
def postgres(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL)")


def _at_once(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    done: list[Any] = []
    refused: list[BaseException] = []
    barrier = threading.Barrier(len(calls), timeout=MEET)

    def go(call: Callable[[], Any]) -> None:
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            done.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertions
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return done, refused


def test_two_submissions_at_once_store_one_response(postgres):
    for _ in range(ROUNDS):
        world = answer_world(members=1)

        def submit(world: Any = world) -> Response:
            return services.response_submit(
                administration=world.administration, participant=world.member, answers=world.full_answers()
            )

        done, refused = _at_once(submit, submit)
        assert len(done) == 1
        assert len(refused) == 1
        assert isinstance(refused[0], ApplicationError)
        assert "already answered" in refused[0].messages[0]
        assert Response.objects.filter(administration=world.administration).count() == 1
        assert Completion.objects.filter(administration=world.administration).count() == 1


def test_two_sweeps_at_once_remind_each_person_once(postgres):
    world = answer_world(members=3)
    reminder = Reminder.objects.create(
        administration=world.administration, kind=Reminder.Kind.AFTER_RUN, due_at=world.administration.opens_at
    )
    done, refused = _at_once(services.reminders_send_due, services.reminders_send_due)
    assert refused == []
    assert sorted(done) == [0, 3]
    assert ReminderDelivery.objects.filter(reminder=reminder).count() == 3
