"""Feed services: how the token addresses are created, renewed and revoked (portal.calendars.services)."""

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.models import CalendarFeed
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(coordinator):
    return {"cohort": CohortFactory(name="Warsaw 2026"), "coordinator": coordinator}


def _cohort_feed(plan: dict) -> CalendarFeed:
    return feeds.calendar_feed_create(by=plan["coordinator"], cohort=plan["cohort"])


def test_a_feed_token_is_long_random_and_unique(plan):
    user = plan["coordinator"]
    first = feeds.calendar_feed_create(by=user)
    second = _cohort_feed(plan)
    assert len(first.token) >= 43  # 32 random bytes, URL-safe base64
    assert first.token != second.token
    assert first.user == user
    assert first.cohort is None
    assert first.created_by == user
    assert second.cohort == plan["cohort"]
    assert second.user is None


def test_one_live_feed_per_person_and_per_cohort(plan):
    user = plan["coordinator"]
    feeds.calendar_feed_create(by=user)
    with pytest.raises(ApplicationError, match="already have a calendar feed"):
        feeds.calendar_feed_create(by=user)
    _cohort_feed(plan)
    with pytest.raises(ApplicationError, match="already has a calendar feed"):
        _cohort_feed(plan)
    assert CalendarFeed.objects.count() == 2


def test_renew_revokes_the_old_feed_and_gives_a_new_token(plan):
    feed = _cohort_feed(plan)
    renewed = feeds.calendar_feed_renew(feed=feed, by=plan["coordinator"])
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert renewed.revoked_at is None
    assert renewed.token != feed.token
    assert renewed.cohort == feed.cohort
    assert calendars.calendar_feed_get_live(token=feed.token) is None
    assert calendars.calendar_feed_get_live(token=renewed.token) == renewed


def test_revoke_stops_a_feed_once(plan):
    feed = feeds.calendar_feed_create(by=plan["coordinator"])
    feeds.calendar_feed_revoke(feed=feed)
    assert calendars.calendar_feed_get_live(token=feed.token) is None
    with pytest.raises(ApplicationError, match="already revoked"):
        feeds.calendar_feed_revoke(feed=feed)
    with pytest.raises(ApplicationError, match="already revoked"):
        feeds.calendar_feed_renew(feed=feed, by=plan["coordinator"])
    # After revoking, a new feed may be created.
    assert feeds.calendar_feed_create(by=plan["coordinator"]).revoked_at is None


def test_a_deactivated_persons_feed_is_gone(plan):
    user = plan["coordinator"]
    feed = feeds.calendar_feed_create(by=user)
    user.is_active = False
    user.save()
    assert calendars.calendar_feed_get_live(token=feed.token) is None


def test_a_feed_is_a_cohorts_or_a_persons_never_both(plan):
    feed = CalendarFeed(token="x" * 43, cohort=plan["cohort"], user=plan["coordinator"])
    with pytest.raises(ValidationError):
        feed.full_clean()
