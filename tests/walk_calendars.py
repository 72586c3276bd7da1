"""Permission-walk expectations for calendars: feeds, .ics downloads and the schedule export.

The feed URL answers everyone, signed in or not: calendar programs cannot sign in, so its token is
the key (a revoked or unknown token answers 404: see participants/tests/test_calendars_views.py).
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
COHORT_A = (LOGIN, 404, 200, 404, 200, 200)

EXPECTED: dict[str, tuple[Any, ...]] = {
    "portal:calendar_feed": (200,) * 6,
    "portal:calendar_feeds": (LOGIN, 200, 200, 200, 200, 200),
    # Cohort A's feed is for coordinators; A's participant and facilitator see the cohort, so 403.
    "portal:cohort_calendar": (LOGIN, 404, 403, 404, 403, 200),
    "portal:cohort_ics": COHORT_A,
    "portal:session_ics": COHORT_A,
    "portal:run_ics": COHORT_A,
    "portal:cohort_schedule_export": COHORT_A,
    "api:calendarfeed-list": (REFUSED, 200, 200, 200, 200, 200),
    # The participant's own feed: nobody else's business, coordinators included.
    "api:calendarfeed-detail": (REFUSED, 404, 200, 404, 404, 404),
}


def _cohort_feed(world: World) -> SimpleNamespace:
    feed = calendars.calendar_feed_live_for_cohort(cohort=world.cohort) or feeds.calendar_feed_create(
        by=world.users["coordinator"], cohort=world.cohort
    )
    # The URL's argument is named slug (the walk fills pk and slug): it carries the token.
    return SimpleNamespace(slug=feed.token)


def _participant_feed(world: World) -> Any:
    user = world.users["participant"]
    return calendars.calendar_feed_live_for_user(user=user) or feeds.calendar_feed_create(by=user)


TARGETS: dict[str, Callable[[World], Any]] = {
    "portal:calendar_feed": _cohort_feed,
    "portal:cohort_calendar": lambda w: w.cohort,
    "portal:cohort_ics": lambda w: w.cohort,
    "portal:session_ics": lambda w: w.session,
    "portal:run_ics": lambda w: w.run,
    "portal:cohort_schedule_export": lambda w: w.cohort,
}
API_TARGETS: dict[str, Callable[[World], Any]] = {
    "calendarfeed": _participant_feed,
}
SKIPPED: dict[str, str] = {
    "api:calendarfeed-renew": "write action (POST), outside this read-only walk; see test_calendars_api.py",
    "api:calendarfeed-revoke": "write action (POST), outside this read-only walk; see test_calendars_api.py",
}
