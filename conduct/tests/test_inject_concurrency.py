"""Two facilitators releasing the same inject at once, and two auto-release sweeps at once, in threads
against PostgreSQL: each inject is released once, and the loser is told who released it."""

from collections.abc import Callable
from typing import Any

from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.models import InjectDelivery, InjectRelease
from conduct.tests.inject_helpers import inject_run
from core.exceptions import ApplicationError
from core.tests.threads import at_once
from exercises.models import ExerciseRun, Inject
from exercises.tests.factories import InjectFactory

ROUNDS = 10


def test_two_facilitators_releasing_the_same_inject_at_once_release_it_once_every_round(postgres):
    made = inject_run()
    second = FacilitatorFactory()
    made.run.cohort.facilitators.add(second)
    injects = [InjectFactory(exercise=made.run.exercise, number=100 + n) for n in range(ROUNDS)]
    services.run_start(run=made.run, by=made.by)
    for inject in injects:

        def press(by: Any, inject: Inject = inject) -> Callable[[], Any]:
            return lambda: services.inject_release(run=ExerciseRun.objects.get(pk=made.run.pk), inject=inject, by=by)

        done, refused = at_once(press(made.by), press(second))
        assert (len(done), len(refused)) == (1, 1), (inject, refused)
        assert isinstance(refused[0], ApplicationError), refused
        assert "already released" in refused[0].messages[0]
    assert InjectRelease.objects.filter(run=made.run).count() == ROUNDS
    assert InjectDelivery.objects.filter(release__run=made.run).count() == ROUNDS * len(made.teams)


def test_two_sweeps_and_a_facilitator_at_once_release_each_due_inject_once(postgres):
    made = inject_run()
    services.run_auto_release_set(run=made.run, on=True, by=made.by)
    services.run_start(run=made.run, by=made.by)
    services.run_advance(run=made.run, from_phase=made.phases[0].pk, by=made.by)
    services.run_advance(run=made.run, from_phase=made.phases[1].pk, by=made.by)  # all three are due
    run_ids = [made.run.pk]
    done, refused = at_once(
        lambda: services.injects_release_due(run_ids=run_ids),
        lambda: services.injects_release_due(run_ids=run_ids),
        lambda: services.inject_release(run=ExerciseRun.objects.get(pk=made.run.pk), inject=made.third, by=made.by),
    )
    assert all(isinstance(error, ApplicationError) for error in refused), refused
    assert sorted(InjectRelease.objects.filter(run=made.run).values_list("inject__number", flat=True)) == [1, 2, 3]
    released_by_sweeps = sum(count for count in done if isinstance(count, int))
    manual = 1 if any(isinstance(d, InjectRelease) for d in done) else 0
    assert released_by_sweeps + manual == 3
