"""Requests at once, in threads against PostgreSQL: the concurrency tests' one fixture and one helper."""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

MEET = 0.25  # seconds a thread waits for the others before it goes


@pytest.fixture
def postgres(transactional_db: None) -> None:
    """Row locks and their races need PostgreSQL (DATABASE_URL); CI runs these there."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL)")


def at_once(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start every call together (each in its own thread and connection); what they returned, what they raised."""
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
