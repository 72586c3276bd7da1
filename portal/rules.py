"""Who may keep calendar feeds (portal.calendars)."""

from typing import Any

import rules

from accounts.rules import is_coordinator


@rules.predicate
def owns_calendar_feed(user: Any, feed: Any) -> bool:
    return feed is not None and feed.user_id is not None and feed.user_id == user.pk


@rules.predicate
def is_cohort_calendar_feed(user: Any, feed: Any) -> bool:
    return feed is not None and feed.cohort_id is not None


@rules.predicate
def is_live_calendar_feed(user: Any, feed: Any) -> bool:
    return feed is not None and feed.revoked_at is None


# Everyone signed in keeps their own feed; coordinators keep every cohort's (the feed URL itself
# needs no sign-in: its token is the key). calendars.calendar_feed_visible_list mirrors the view rule.
_manages_calendar_feed = rules.is_authenticated & (owns_calendar_feed | (is_coordinator & is_cohort_calendar_feed))
rules.add_perm("portal.view_calendarfeed", is_live_calendar_feed & _manages_calendar_feed)
rules.add_perm("portal.add_calendarfeed", rules.is_authenticated & rules.is_active)
rules.add_perm("portal.change_calendarfeed", is_live_calendar_feed & _manages_calendar_feed)
# On a cohort: create, renew or revoke the cohort's feed.
rules.add_perm("portal.manage_cohort_calendar", is_coordinator)
