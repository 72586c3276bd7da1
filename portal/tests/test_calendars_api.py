"""/api/v1/calendar-feeds/: list, create, renew and revoke feeds; the rule and the list agree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.models import CalendarFeed
from tests.world import ROLES, World, build_world
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar-feeds/"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_is_refused(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {}).status_code == 401


def test_a_person_creates_their_feed_and_the_url_works_without_sign_in(world):
    user = world.users["participant"]
    response = _api(user).post(URL, {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    feed = CalendarFeed.objects.get(pk=body["id"])
    assert feed.user == user
    assert body["kind"] == "person"
    assert body["cohort"] is None
    assert body["is_live"] is True
    assert body["url"].endswith(f"/calendar/{feed.token}.ics")
    assert "/participants/" not in body["url"]
    assert body["webcal_url"] == "webcal://" + body["url"].split("://", 1)[1]
    assert Client().get(body["url"]).status_code == 200


def test_a_second_live_feed_is_refused_with_a_message(world):
    client = _api(world.users["participant"])
    client.post(URL, {}, format="json")
    response = client.post(URL, {}, format="json")
    assert response.status_code == 400
    assert "already have a calendar feed" in response.json()["non_field_errors"][0]
    assert CalendarFeed.objects.count() == 1


def test_a_coordinator_creates_a_cohort_feed(world):
    response = _api(world.users["coordinator"]).post(URL, {"cohort": world.cohort.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "cohort"
    assert response.json()["cohort_name"] == world.cohort.name
    assert CalendarFeed.objects.get(cohort=world.cohort).created_by == world.users["coordinator"]


def test_a_facilitator_may_not_create_a_cohort_feed(world):
    response = _api(world.users["facilitator"]).post(URL, {"cohort": world.cohort.pk}, format="json")
    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


def test_a_cohort_one_cannot_see_is_refused_as_unknown(world):
    response = _api(world.users["participant"]).post(URL, {"cohort": world.cohort_other.pk}, format="json")
    assert response.status_code == 400
    assert "cohort" in response.json()
    assert not CalendarFeed.objects.exists()


def test_renew_answers_the_new_feed_and_the_old_url_stops(world):
    client = _api(world.users["participant"])
    old = client.post(URL, {}, format="json").json()
    renewed = client.post(f"{URL}{old['id']}/renew/", format="json")
    assert renewed.status_code == 201, renewed.content
    new = renewed.json()
    assert new["id"] != old["id"]
    assert new["url"] != old["url"]
    anonymous = Client()
    assert anonymous.get(old["url"]).status_code == 404
    assert anonymous.get(new["url"]).status_code == 200
    assert _ids(client.get(URL)) == {new["id"]}


def test_revoke_answers_the_revoked_feed_and_it_leaves_the_list(world):
    client = _api(world.users["participant"])
    created = client.post(URL, {}, format="json").json()
    response = client.post(f"{URL}{created['id']}/revoke/", format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_live"] is False
    assert body["revoked_at"] is not None
    assert body["url"] is None
    assert body["webcal_url"] is None
    assert Client().get(created["url"]).status_code == 404
    assert _ids(client.get(URL)) == set()
    assert client.post(f"{URL}{created['id']}/revoke/", format="json").status_code == 404


def test_nobody_else_renews_or_revokes_a_persons_feed(world):
    feed = feeds.calendar_feed_create(by=world.users["participant"])
    for role in ("participant_other", "facilitator", "coordinator"):
        client = _api(world.users[role])
        assert client.post(f"{URL}{feed.pk}/renew/", format="json").status_code == 404
        assert client.post(f"{URL}{feed.pk}/revoke/", format="json").status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_lists_show_own_feeds_and_cohort_feeds_to_coordinators(world):
    own = {role: feeds.calendar_feed_create(by=world.users[role]) for role in ROLES if role != "anonymous"}
    cohort_feed = feeds.calendar_feed_create(by=world.users["coordinator"], cohort=world.cohort)
    assert _ids(_api(world.users["participant"]).get(URL)) == {own["participant"].pk}
    assert _ids(_api(world.users["facilitator"]).get(URL)) == {own["facilitator"].pk}
    coordinator = _api(world.users["coordinator"])
    assert _ids(coordinator.get(URL)) == {own["coordinator"].pk, cohort_feed.pk}
    assert _ids(coordinator.get(URL, {"kind": "cohort"})) == {cohort_feed.pk}
    assert _ids(coordinator.get(URL, {"kind": "person"})) == {own["coordinator"].pk}
    assert _ids(coordinator.get(URL, {"cohort": world.cohort.pk})) == {cohort_feed.pk}


def _list_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context.captured_queries)


def test_the_list_costs_the_same_queries_for_1_and_50_feeds(world):
    coordinator = world.users["coordinator"]
    client = _api(coordinator)
    feeds.calendar_feed_create(by=coordinator)
    client.get(URL)  # force_authenticate reuses one user object: its roles are cached from here on
    small = _list_queries(client)
    for _index in range(49):
        feeds.calendar_feed_create(by=coordinator, cohort=CohortFactory())
    assert len(client.get(URL).json()["results"]) == 50
    assert _list_queries(client) == small


def _fresh(user: User | None) -> User | AnonymousUser:
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_the_view_rule_agrees_with_the_list(world, role):
    made = [
        feeds.calendar_feed_create(by=world.users["participant"]),
        feeds.calendar_feed_create(by=world.users["facilitator"]),
        feeds.calendar_feed_create(by=world.users["coordinator"], cohort=world.cohort),
        feeds.calendar_feed_create(by=world.users["coordinator"], cohort=world.cohort_other),
    ]
    revoked = feeds.calendar_feed_create(by=world.users["participant_other"])
    CalendarFeed.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    made.append(CalendarFeed.objects.get(pk=revoked.pk))
    answers = set()
    for feed in made:
        user = _fresh(world.users[role])
        by_rule = user.has_perm("portal.view_calendarfeed", feed)
        by_list = calendars.calendar_feed_visible_list(user=_fresh(world.users[role])).filter(pk=feed.pk).exists()
        assert by_rule == by_list, f"{role}: feed {feed.pk} ({feed}): rule {by_rule}, list {by_list}"
        answers.add(by_rule)
    assert answers == ({False} if role in ("anonymous", "participant_other", "facilitator_other") else {True, False})


def test_format_suffixed_writes_work_too(world):
    client = _api(world.users["participant"])
    created = client.post("/api/v1/calendar-feeds.json", {}, format="json")
    assert created.status_code == 201, created.content
    renewed = client.post(f"{URL}{created.json()['id']}/renew.json", format="json")
    assert renewed.status_code == 201, renewed.content
    assert client.post(f"{URL}{renewed.json()['id']}/revoke.json", format="json").status_code == 200
