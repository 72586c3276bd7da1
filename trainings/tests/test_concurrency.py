"""Two schedule writes at once, in threads against PostgreSQL: the second sees the first (trainings.locks).

Each round holds both writers inside their conflict check until the other has arrived there too, or
a quarter of a second has passed. Without the locks both arrive, neither sees the other's session,
and both are saved; with them the second waits for the first to commit and is refused.
"""

import contextlib
import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from accounts.tests.factories import FacilitatorFactory
from core.exceptions import ApplicationError
from trainings import conflicts, locks, services
from trainings.conflicts import ScheduleConflictError
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory

ROUNDS = 20
MEET = 0.25  # seconds a writer waits in its check for the other one
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.fixture
def postgres(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks need PostgreSQL (DATABASE_URL)")


class Meeting:
    """Where both writers wait for each other inside the check, until the time runs out."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=MEET)

    def wait(self) -> None:
        # Broken: the other writer is waiting for our lock, so go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait()


@pytest.fixture
def meeting(monkeypatch: pytest.MonkeyPatch) -> list[Meeting]:
    current: list[Meeting] = [Meeting()]
    checked = conflicts.session_conflicts
    new_facilitators = services.cohort_new_facilitator_conflicts

    def session_conflicts(**kwargs: Any) -> Any:
        found = checked(**kwargs)
        current[0].wait()
        return found

    def cohort_new_facilitator_conflicts(**kwargs: Any) -> Any:
        found = new_facilitators(**kwargs)
        current[0].wait()
        return found

    monkeypatch.setattr(conflicts, "session_conflicts", session_conflicts)
    monkeypatch.setattr(services, "cohort_new_facilitator_conflicts", cohort_new_facilitator_conflicts)
    return current


def _at_once(*writes: Callable[[], Any]) -> tuple[int, list[BaseException]]:
    """Run the writes in threads; how many were saved, and every refusal or error."""
    saved: list[Any] = []
    refused: list[BaseException] = []

    def run(write: Callable[[], Any]) -> None:
        try:
            saved.append(write())
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertions
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return len(saved), refused


def _slot(cohort: Cohort, round_: int) -> tuple[dt.datetime, dt.datetime]:
    day = cohort.start_date + dt.timedelta(days=round_)
    starts_at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=WARSAW)
    return starts_at, starts_at + dt.timedelta(hours=2)


def _long_cohort(**kwargs: Any) -> Cohort:
    start = dt.date(2031, 3, 3)
    return CohortFactory(start_date=start, end_date=start + dt.timedelta(days=ROUNDS + 2), **kwargs)


def _session(cohort: Cohort, round_: int, **kwargs: Any) -> Callable[[], Session]:
    starts_at, ends_at = _slot(cohort, round_)

    def write() -> Session:
        fresh = Cohort.objects.get(pk=cohort.pk)
        return services.session_create(
            cohort=fresh, title=f"Round {round_}", starts_at=starts_at, ends_at=ends_at, **kwargs
        )

    return write


def _refused_for(refused: list[BaseException], code: str) -> bool:
    return len(refused) == 1 and isinstance(refused[0], ScheduleConflictError) and refused[0].conflicts[0].code == code


def test_one_facilitator_booked_into_two_cohorts_at_once_is_refused_every_time(postgres, meeting):
    facilitator = FacilitatorFactory()
    warsaw = _long_cohort(venue="Warsaw centre", facilitators=[facilitator])
    sofia = _long_cohort(venue="Sofia centre", time_zone="Europe/Warsaw", facilitators=[facilitator])
    for round_ in range(ROUNDS):
        meeting[0] = Meeting()
        saved, refused = _at_once(_session(warsaw, round_), _session(sofia, round_))
        assert (saved, _refused_for(refused, "facilitator_booked")) == (1, True), (round_, refused)
    assert Session.objects.count() == ROUNDS


def test_two_overlapping_sessions_of_one_cohort_at_once_are_refused_every_time(postgres, meeting):
    cohort = _long_cohort()
    for round_ in range(ROUNDS):
        meeting[0] = Meeting()
        saved, refused = _at_once(_session(cohort, round_, room="A"), _session(cohort, round_, room="B"))
        assert (saved, _refused_for(refused, "cohort_overlap")) == (1, True), (round_, refused)
    assert Session.objects.count() == ROUNDS


def test_a_facilitator_added_to_a_cohort_while_booked_elsewhere_at_once_is_refused(postgres, meeting):
    facilitator = FacilitatorFactory()
    warsaw = _long_cohort(venue="Warsaw centre", facilitators=[facilitator])
    sofia = _long_cohort(venue="Sofia centre")
    for round_ in range(5):
        services.session_create(
            cohort=sofia, title=f"Sofia {round_}", starts_at=_slot(sofia, round_)[0], ends_at=_slot(sofia, round_)[1]
        )

    def add_to_sofia() -> Cohort:
        return services.cohort_update(cohort=Cohort.objects.get(pk=sofia.pk), data={"facilitators": [facilitator]})

    for round_ in range(5):
        meeting[0] = Meeting()
        sofia.facilitators.clear()
        saved, refused = _at_once(_session(warsaw, round_), add_to_sofia)
        assert (saved, len(refused)) == (1, 1), (round_, refused)
        assert isinstance(refused[0], ApplicationError), refused
        Session.objects.filter(cohort=warsaw).delete()


def test_lock_ids_are_stable_and_keys_normalised():
    assert locks.lock_id("cohort:1") == locks.lock_id("cohort:1") != locks.lock_id("cohort:2")
    assert -(2**63) <= locks.lock_id("room:x:y") < 2**63
    assert locks.room_key(venue=" Training Centre ", room="Room 2 ") == locks.room_key(
        venue="training centre", room="room 2"
    )
    assert locks.room_key(venue="", room="Room 2") == ""
    assert locks.video_link_key("  ") == ""
