"""A run with three phases and its facilitator, for the clock's tests."""

from typing import Any

from accounts.tests.factories import FacilitatorFactory
from exercises.models import ExerciseRun, Phase
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, PhaseFactory
from trainings.tests.factories import CohortFactory


def clock_run(*, phases: int = 3, facilitator: Any = None) -> tuple[ExerciseRun, list[Phase], Any]:
    facilitator = facilitator or FacilitatorFactory()
    exercise = ExerciseFactory()
    made = [
        PhaseFactory(exercise=exercise, order=i + 1, name=f"Phase {i + 1}", planned_minutes=10 * (i + 1))
        for i in range(phases)
    ]
    run = ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(facilitators=[facilitator]))
    return run, made, facilitator
