"""Permission-walk expectations for reflection results (reflections.views.results and the results/export
actions of the administrations API).

The administration is cohort A's (anonymous, nobody has answered yet). Its staff read the results page
(only the counts, below the threshold) and are refused the export: the page answers 400 with the reason,
and so does the API. Its participant gets 403, the other cohort's people 404.
"""

from collections.abc import Callable
from typing import Any

from tests.walk_reflections_answer import _administration
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "reflections:administration_results": (LOGIN, 404, 403, 404, 200, 200),
    "reflections:administration_results_export": (LOGIN, 404, 403, 404, 400, 400),
    "api:questionnaireadministration-results": (REFUSED, 404, 403, 404, 200, 200),
    "api:questionnaireadministration-export": (REFUSED, 404, 403, 404, 400, 400),
}

TARGETS: dict[str, Callable[[World], Any]] = dict.fromkeys(
    ("reflections:administration_results", "reflections:administration_results_export"), _administration
)

API_TARGETS: dict[str, Callable[[World], Any]] = {}
