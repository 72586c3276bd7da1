"""Permission-walk expectations for the improvement plan and the programme view.

A run's plan is its staff's: the run's participant sees the run, so the plan answers 403; people who
cannot see the run get 404. The world's action (on run A) names participant A as its contact with an
account: they see it (200) but may not edit it (403). The action list and its export answer everyone
signed in, filtered. The programme view is for coordinators only (403 for the others).
"""

from collections.abc import Callable
from typing import Any

from reports.models import ImprovementAction
from reports.tests.factories import ImprovementActionFactory
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "reports_actions:run_actions": (LOGIN, 404, 403, 404, 200, 200),
    "reports_actions:action_list": (LOGIN, 200, 200, 200, 200, 200),
    "reports_actions:action_export": (LOGIN, 200, 200, 200, 200, 200),
    "reports_actions:action_detail": (LOGIN, 404, 200, 404, 200, 200),
    "reports_actions:action_edit": (LOGIN, 404, 403, 404, 200, 200),
    "reports_actions:programme": (LOGIN, 403, 403, 403, 403, 200),
    "reports_actions:programme_export": (LOGIN, 403, 403, 403, 403, 200),
    "api:improvementaction-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:improvementaction-detail": (REFUSED, 404, 200, 404, 200, 200),
    "api:programme-list": (REFUSED, 403, 403, 403, 403, 200),
}


def action_of(world: World) -> ImprovementAction:
    """Run A's action whose contact is participant A, made once per world."""
    action = getattr(world, "_improvement_action", None)
    if action is None:
        action = ImprovementActionFactory(
            cohort=world.cohort, run=world.run, agency=world.agency, contact=world.users["participant"]
        )
        world._improvement_action = action  # type: ignore[attr-defined]
    return action


TARGETS: dict[str, Callable[[World], Any]] = {
    "reports_actions:run_actions": lambda w: w.run,
    "reports_actions:action_detail": action_of,
    "reports_actions:action_edit": action_of,
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "improvementaction": action_of,
}
