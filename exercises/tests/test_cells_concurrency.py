"""Two facilitators inviting the same address at once, in threads against PostgreSQL: one account,
one place, one e-mail. The run's row lock serves them one after the other; the second finds the place."""

import contextlib
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from accounts.models import User
from accounts.tests.factories import FacilitatorFactory
from core.models import OutboxMessage
from exercises import services
from exercises.models import RunCellMember
from exercises.tests.factories import ExerciseRunFactory
from trainings.tests.factories import CohortFactory

ROUNDS = 5
MEET = 0.25  # seconds each waits for the other before inviting


@pytest.fixture
def postgres(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL)")


def _invite_at_once(run: Any, email: str, people: list[Any]) -> tuple[list[Any], list[BaseException]]:
    places: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(people), timeout=MEET)

    def invite(by: Any) -> None:
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            places.append(services.cell_guest_invite(run=run, email=email, by=by))
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=invite, args=(by,)) for by in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return places, errors


def test_two_invitations_of_one_address_at_once_make_one_place_and_one_email(postgres):
    first, second = FacilitatorFactory(), FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[first, second]))
    for n in range(ROUNDS):
        email = f"guest{n}@embassy.test"
        places, errors = _invite_at_once(run, email, [first, second])

        assert not errors, errors
        assert len({place.pk for place in places}) == 1
        assert User.objects.filter(email=email).count() == 1
        assert RunCellMember.objects.filter(run=run, user__email=email).count() == 1
        assert OutboxMessage.objects.filter(dedupe_key=f"cell-invitation:{places[0].pk}").count() == 1
    assert len(mail.outbox) == ROUNDS  # eager outbox: one e-mail per place, after its commit
