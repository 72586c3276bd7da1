"""Calendar pages: the feed without sign-in, .ics downloads, and the pages that manage feeds."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.tests.factories import ExerciseRunFactory, PhaseFactory
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.models import CalendarFeed
from portal.tests.teams import teams_confirm
from tests.world import World, build_world
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _feed_url(feed: CalendarFeed) -> str:
    return reverse("portal:calendar_feed", kwargs={"slug": feed.token})


def _uids(content: bytes) -> set[str]:
    return {str(event["UID"]) for event in icalendar.Calendar.from_ical(content).walk("VEVENT")}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cohort_feed(world: World) -> CalendarFeed:
    return feeds.calendar_feed_create(by=world.users["coordinator"], cohort=world.cohort)


# --- the feed -------------------------------------------------------------------------------------


def test_the_feed_needs_no_sign_in_and_is_icalendar(world, client):
    feed = _cohort_feed(world)
    response = client.get(_feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert _uids(response.content) == {
        calendars.session_uid(world.session.pk),
        calendars.run_uid(world.run.pk),
    }
    assert client.head(_feed_url(feed)).status_code == 200
    assert client.post(_feed_url(feed)).status_code == 405


def test_an_unchanged_feed_answers_304_and_a_changed_one_200(world, client):
    feed = _cohort_feed(world)
    first = client.get(_feed_url(feed))
    assert client.get(_feed_url(feed), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    SessionFactory(cohort=world.cohort, title="Extra")
    changed = client.get(_feed_url(feed), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert b"Extra" in changed.content


def test_unknown_and_revoked_tokens_answer_404(world, client):
    assert client.get(reverse("portal:calendar_feed", kwargs={"slug": "not-a-token"})).status_code == 404
    feed = _cohort_feed(world)
    feeds.calendar_feed_revoke(feed=feed)
    assert client.get(_feed_url(feed)).status_code == 404


def test_after_renewing_the_old_address_answers_404_and_the_new_one_works(world, client):
    feed = _cohort_feed(world)
    renewed = feeds.calendar_feed_renew(feed=feed, by=world.users["coordinator"])
    assert client.get(_feed_url(feed)).status_code == 404
    assert client.get(_feed_url(renewed)).status_code == 200


def test_a_feed_leaks_nothing_of_other_cohorts_or_other_teams(world, client):
    teams_confirm(world.run)
    participant_feed = feeds.calendar_feed_create(by=world.users["participant"])
    for feed in (_cohort_feed(world), participant_feed):
        content = client.get(_feed_url(feed)).content
        text = content.decode()
        assert calendars.session_uid(world.session_other.pk) not in _uids(content)
        assert world.session_other.title not in text
        assert world.cohort_other.name not in text
        for briefing in ("OUR-TEAM-BRIEFING", "RIVAL-BRIEFING", "OTHER-COHORT-BRIEFING"):
            assert briefing not in text
        assert str(world.team_rival) not in text
    # The participant's own feed names their team; the cohort's names none.
    assert f"Your team: {world.team}" in client.get(_feed_url(participant_feed)).content.decode()


def _add_sessions(world: World, count: int) -> None:
    for index in range(count):
        starts_at = world.session.starts_at + dt.timedelta(hours=3, minutes=10 * index)
        session = SessionFactory(cohort=world.cohort, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=5))
        run = ExerciseRunFactory(cohort=world.cohort, session=session)
        PhaseFactory(exercise=run.exercise, planned_minutes=5)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("owner", ["cohort", "participant"])
def test_the_feed_costs_the_same_queries_for_5_and_50_sessions(world, client, owner):
    by = world.users["participant"]
    feed = _cohort_feed(world) if owner == "cohort" else feeds.calendar_feed_create(by=by)
    _add_sessions(world, 4)
    small = _queries(client, _feed_url(feed))
    _add_sessions(world, 45)
    assert len(_uids(client.get(_feed_url(feed)).content)) == 50 + 50  # sessions and their runs
    assert _queries(client, _feed_url(feed)) == small


# --- one-off downloads ----------------------------------------------------------------------------


def test_a_session_download_holds_the_session_and_its_run_for_the_reader(world):
    teams_confirm(world.run)
    response = _client(world.users["participant"]).get(reverse("portal:session_ics", kwargs={"pk": world.session.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="session-{world.session.pk}.ics"'
    assert _uids(response.content) == {calendars.session_uid(world.session.pk), calendars.run_uid(world.run.pk)}
    assert f"Your team: {world.team}" in response.content.decode()


def test_run_and_cohort_downloads_use_the_same_uids_as_the_feed(world, client):
    reader = _client(world.users["facilitator"])
    run = reader.get(reverse("portal:run_ics", kwargs={"pk": world.run.pk}))
    assert _uids(run.content) == {calendars.run_uid(world.run.pk)}
    cohort = reader.get(reverse("portal:cohort_ics", kwargs={"slug": world.cohort.slug}))
    feed = client.get(_feed_url(_cohort_feed(world)))
    assert _uids(cohort.content) == _uids(feed.content)


def test_a_run_that_is_not_in_a_session_has_nothing_to_download(world):
    unscheduled = ExerciseRunFactory(cohort=world.cohort, session=None)
    response = _client(world.users["coordinator"]).get(reverse("portal:run_ics", kwargs={"pk": unscheduled.pk}))
    assert response.status_code == 404


def test_downloads_of_another_cohort_answer_404(world):
    reader = _client(world.users["participant"])
    assert reader.get(reverse("portal:session_ics", kwargs={"pk": world.session_other.pk})).status_code == 404
    assert reader.get(reverse("portal:run_ics", kwargs={"pk": world.run_other.pk})).status_code == 404
    assert reader.get(reverse("portal:cohort_ics", kwargs={"slug": world.cohort_other.slug})).status_code == 404


# --- managing feeds -------------------------------------------------------------------------------


def test_a_person_creates_renews_and_revokes_their_feed_on_the_page(world):
    user = world.users["facilitator"]
    page = _client(user)
    url = reverse("portal:calendar_feeds")
    assert "Create a calendar feed" in page.get(url).content.decode()

    response = page.post(url, {"action": "create"}, follow=True)
    feed = CalendarFeed.objects.get(user=user, revoked_at__isnull=True)
    html = response.content.decode()
    assert "The calendar feed is ready" in html
    assert calendars.calendar_feed_url(feed=feed) in html
    assert calendars.calendar_feed_webcal_url(feed=feed).startswith("webcal://")
    assert calendars.calendar_feed_webcal_url(feed=feed) in html

    page.post(url, {"action": "renew"})
    renewed = CalendarFeed.objects.get(user=user, revoked_at__isnull=True)
    assert renewed.token != feed.token

    page.post(url, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert CalendarFeed.objects.filter(user=user).count() == 2


def test_the_page_explains_refusals_and_changes_nothing(world):
    user = world.users["participant"]
    page = _client(user)
    url = reverse("portal:calendar_feeds")
    html = page.post(url, {"action": "renew"}, follow=True).content.decode()
    assert "There is no live calendar feed to change." in html
    html = page.post(url, {"action": "explode"}, follow=True).content.decode()
    assert "Choose create, renew or revoke." in html
    page.post(url, {"action": "create"})
    html = page.post(url, {"action": "create"}, follow=True).content.decode()
    assert "You already have a calendar feed" in html
    assert CalendarFeed.objects.filter(user=user).count() == 1


def test_a_coordinator_manages_the_cohorts_feed(world):
    page = _client(world.users["coordinator"])
    url = reverse("portal:cohort_calendar", kwargs={"slug": world.cohort.slug})
    page.post(url, {"action": "create"})
    feed = CalendarFeed.objects.get(cohort=world.cohort, revoked_at__isnull=True)
    assert feed.created_by == world.users["coordinator"]
    assert calendars.calendar_feed_url(feed=feed) in page.get(url).content.decode()
    page.post(url, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(cohort=world.cohort, revoked_at__isnull=True).exists()


@pytest.mark.parametrize(("role", "status"), [("facilitator", 403), ("participant", 403), ("participant_other", 404)])
def test_others_cannot_create_a_cohorts_feed(world, role, status):
    url = reverse("portal:cohort_calendar", kwargs={"slug": world.cohort.slug})
    assert _client(world.users[role]).post(url, {"action": "create"}).status_code == status
    assert not CalendarFeed.objects.exists()


def test_the_cohort_page_links_calendars_and_exports_by_role(world):
    url = world.cohort.get_absolute_url()
    coordinator_html = _client(world.users["coordinator"]).get(url).content.decode()
    participant_html = _client(world.users["participant"]).get(url).content.decode()
    feed_page = reverse("portal:cohort_calendar", kwargs={"slug": world.cohort.slug})
    assert feed_page in coordinator_html
    assert feed_page not in participant_html
    for html in (coordinator_html, participant_html):
        assert reverse("portal:cohort_ics", kwargs={"slug": world.cohort.slug}) in html
        assert reverse("portal:session_ics", kwargs={"pk": world.session.pk}) in html
        assert reverse("portal:run_ics", kwargs={"pk": world.run.pk}) in html
        assert reverse("portal:cohort_schedule_export", kwargs={"slug": world.cohort.slug}) in html


def test_the_dashboard_offers_the_calendar(world):
    html = _client(world.users["participant"]).get(reverse("dashboard")).content.decode()
    assert "Subscribe to my calendar" in html
    assert reverse("portal:calendar_feeds") in html
