"""Two facilitators drafting the same areas for improvement at once: each point becomes one action."""

from accounts.tests.factories import FacilitatorFactory
from conduct.tests.factories import HotwashItemFactory
from core.tests.threads import at_once
from exercises.tests.factories import ExerciseRunFactory
from reports import action_services as services
from reports.models import ActionReminder, ImprovementAction
from trainings.tests.factories import CohortFactory


def test_drafting_at_once_drafts_each_point_once(postgres: None):
    first, second = FacilitatorFactory(), FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[first, second]))
    items = [HotwashItemFactory(run=run, kind="improvement", text=f"Point {n}") for n in range(3)]

    done, refused = at_once(
        lambda: services.improvement_actions_draft(run=run, items=items, by=first),
        lambda: services.improvement_actions_draft(run=run, items=items, by=second),
    )

    assert refused == []
    assert sorted(len(drafted) for drafted in done) == [0, 3]
    assert ImprovementAction.objects.filter(run=run).count() == 3
    assert ActionReminder.objects.count() == 9
