"""Two facilitators pressing "next phase" at once, in threads against PostgreSQL: it advances once.

Both read the same current phase before pressing (as two screens showing the same clock do) and
wait for each other at the lock. The run's row lock serves them one after the other; the second
sees that the phase has moved on and is refused.
"""

from collections.abc import Callable
from typing import Any

from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.models import RunEvent
from conduct.tests.helpers import clock_run
from core.exceptions import ApplicationError
from core.tests.threads import at_once
from exercises.models import ExerciseRun

ROUNDS = 20


def test_two_facilitators_advancing_at_once_advance_once_every_round(postgres):
    run, phases, first = clock_run(phases=ROUNDS + 1)
    second = FacilitatorFactory()
    run.cohort.facilitators.add(second)
    services.run_start(run=run, by=first)
    for round_ in range(ROUNDS):
        seen = phases[round_].pk  # what both screens show

        def press(by: Any, seen: int = seen) -> Callable[[], Any]:
            return lambda: services.run_advance(run=ExerciseRun.objects.get(pk=run.pk), from_phase=seen, by=by)

        done, refused = at_once(press(first), press(second))
        advanced = len(done)
        assert (advanced, len(refused)) == (1, 1), (round_, refused)
        assert isinstance(refused[0], ApplicationError), refused
        assert "already moved on" in refused[0].message
    assert RunEvent.objects.filter(run=run, kind=RunEvent.Kind.ADVANCE).count() == ROUNDS
    assert list(RunEvent.objects.filter(run=run).values_list("phase_id", flat=True)) == [p.pk for p in phases]
