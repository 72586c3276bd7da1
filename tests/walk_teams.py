"""Permission-walk expectations for forming a run's teams (exercises.views.teams, exercises.api.runs).

Forming teams is for coordinators and the run cohort's facilitators. The run's own participant
sees the run, so the page answers 403; people who cannot see the run get 404. The participant
reads their own team on the run page and the dashboard (exercises/tests/test_teams_views.py).
"""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "exercises:run_teams": (LOGIN, 404, 403, 404, 200, 200),
    "api:exerciserun-teams": (REFUSED, 404, 403, 404, 200, 200),
}

TARGETS: dict[str, Callable[[World], Any]] = {
    "exercises:run_teams": lambda w: w.run,
}

SKIPPED: dict[str, str] = {
    "api:exerciserun-teams-propose": "write action (POST), outside this read-only walk; see test_teams_api.py",
    "api:exerciserun-teams-confirm": "write action (POST), outside this read-only walk; see test_teams_api.py",
}
