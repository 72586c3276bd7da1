"""Permission-walk expectations for the addresses from before pages were grouped by resource.

The old calendar feed address still serves the feed itself (subscribed calendars keep working);
the others answer 301 to their new address whoever asks, tested in tests/test_legacy_urls.py.
"""

from collections.abc import Callable
from typing import Any

from tests.walk_calendars import _cohort_feed
from tests.world import World

EXPECTED: dict[str, tuple[Any, ...]] = {
    "legacy:calendar_feed": (200,) * 6,
}

TARGETS: dict[str, Callable[[World], Any]] = {
    "legacy:calendar_feed": _cohort_feed,
}

_MOVED = "301 to the new address for everyone; the new address is walked, the redirect is in test_legacy_urls.py"
SKIPPED: dict[str, str] = dict.fromkeys(
    (
        "legacy:cohort_calendar",
        "legacy:cohort_ics",
        "legacy:session_ics",
        "legacy:run_ics",
        "legacy:participants",
        "legacy:trainings",
        "legacy:exercises",
    ),
    _MOVED,
)
