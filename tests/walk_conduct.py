"""Permission-walk expectations for a run's phase clock (conduct.views.console, conduct.api.clock).

Working the clock is for coordinators and the run cohort's facilitators. The run's own participant
sees the run, so the console answers 403; people who cannot see the run get 404.
"""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "conduct:run_console": (LOGIN, 404, 403, 404, 200, 200),
    "api:runclock-detail": (REFUSED, 404, 403, 404, 200, 200),
}

TARGETS: dict[str, Callable[[World], Any]] = {
    "conduct:run_console": lambda w: w.run,
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "runclock": lambda w: w.run,
}

SKIPPED: dict[str, str] = {
    f"api:runclock-{name}": "write action (POST), outside this read-only walk; see conduct/tests/test_clock_api.py"
    for name in ("start", "advance", "pause", "resume", "extend", "finish")
}
