"""Planning pages: cohorts from a course, the day-by-day agenda, and adding, moving and cancelling sessions.

Participants' answers need enrolments (a higher layer): tests/walk_schedule.py walks every role.
"""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from trainings.models import Cohort, DeliveryMode, Session
from trainings.tests.factories import CohortFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
DAY = dt.date(2030, 5, 13)


def _cohort(**kwargs: object) -> Cohort:
    return CohortFactory(start_date=DAY, end_date=DAY + dt.timedelta(days=4), **kwargs)


@pytest.fixture
def signed_in_coordinator(client):  # type: ignore[no-untyped-def]
    user = CoordinatorFactory()
    client.force_login(user)
    return user


def _cohort_post(**overrides: object) -> dict:
    data = {
        "name": "Bucharest, autumn 2030",
        "start_date": "2030-10-06",
        "end_date": "2030-10-10",
        "time_zone": "Europe/Bucharest",
        "delivery_mode": "hybrid",
        "venue": "Police academy, Bucharest",
        "video_link": "https://meet.example.org/bucharest",
        "capacity": "24",
    }
    data.update(overrides)
    return data


# --- cohorts ---------------------------------------------------------------------------------


def test_coordinator_creates_a_cohort_from_a_course(client, signed_in_coordinator):
    course = CourseFactory(title="Inter-agency cooperation")
    facilitator = FacilitatorFactory()
    url = reverse("portal:cohort_create", kwargs={"slug": course.slug})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="Europe/Bucharest">' in html  # a select of real zones
    assert "Inter-agency cooperation" in html
    response = client.post(url, _cohort_post(coordinators=[signed_in_coordinator.pk], facilitators=[facilitator.pk]))
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug})
    assert (cohort.course, cohort.time_zone, cohort.capacity) == (course, "Europe/Bucharest", 24)
    assert cohort.slug == "bucharest-autumn-2030"
    assert list(cohort.facilitators.all()) == [facilitator]
    assert list(cohort.coordinators.all()) == [signed_in_coordinator]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2030-10-01"}, "end_date", "The end date cannot be before the start date."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"capacity": "0"}, "capacity", "Capacity must be at least 1."),
        ({"capacity": "-3"}, "capacity", "Capacity must be at least 1."),
        ({"start_date": "2030-02-30"}, "start_date", "Enter a valid date."),
        ({"delivery_mode": "online", "video_link": ""}, "video_link", "An online or hybrid cohort needs a video link."),
    ],
)
def test_bad_cohort_input_is_explained_and_nothing_is_saved(client, signed_in_coordinator, overrides, field, message):
    course = CourseFactory()
    response = client.post(reverse("portal:cohort_create", kwargs={"slug": course.slug}), _cohort_post(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Cohort.objects.exists()


def test_coordinator_edits_a_cohort(client, signed_in_coordinator):
    cohort = _cohort(capacity=20)
    url = reverse("portal:cohort_update", kwargs={"slug": cohort.slug})
    form = client.get(url).context["form"]
    assert form.initial["time_zone"] == "Europe/Warsaw"
    data = _cohort_post(
        name=cohort.name,
        slug=cohort.slug,
        start_date=str(cohort.start_date),
        end_date=str(cohort.end_date),
        capacity="30",
        time_zone="Europe/Sofia",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.time_zone) == (30, "Europe/Sofia")


def test_a_cohort_edit_that_would_strand_its_sessions_is_refused(client, signed_in_coordinator):
    cohort = _cohort()
    SessionFactory(cohort=cohort, starts_at=dt.datetime(2030, 5, 16, 9, tzinfo=WARSAW))
    data = _cohort_post(
        name=cohort.name, slug=cohort.slug, start_date=str(DAY), end_date=str(DAY + dt.timedelta(days=1))
    )
    response = client.post(reverse("portal:cohort_update", kwargs={"slug": cohort.slug}), data)
    assert response.status_code == 200
    assert "1 sessions would fall outside" in str(response.context["form"].errors["end_date"])
    cohort.refresh_from_db()
    assert cohort.end_date == DAY + dt.timedelta(days=4)


# --- sessions --------------------------------------------------------------------------------


def _session_post(**overrides: object) -> dict:
    data = {"title": "Crisis simulation", "date": "2030-05-14", "start_time": "09:00", "end_time": "10:30"}
    data.update(overrides)
    return data


def test_session_times_are_entered_in_the_cohorts_zone_and_stored_in_utc(client, signed_in_coordinator):
    cohort = _cohort(time_zone="Europe/Sofia")
    url = reverse("portal:session_create", kwargs={"slug": cohort.slug})
    page = client.get(url, {"date": "2030-05-15"})
    assert page.context["form"].initial["date"] == dt.date(2030, 5, 15)
    assert "Europe/Sofia" in page.content.decode()
    response = client.post(url, _session_post(room="Hall 1"))
    session = Session.objects.get()
    assert response["Location"].endswith(f"#session-{session.pk}")
    assert session.starts_at == dt.datetime(2030, 5, 14, 6, 0, tzinfo=dt.UTC)  # 09:00 in Sofia (UTC+3)
    assert session.ends_at == dt.datetime(2030, 5, 14, 7, 30, tzinfo=dt.UTC)
    assert session.room == "Hall 1"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "08:00"}, "end_time", "A session must end after it starts."),
        ({"date": "2030-05-20"}, "end_time", "within the cohort's dates"),
        ({"date": "2030-05-12"}, "start_time", "within the cohort's dates"),
        ({"date": "2030-13-40"}, "date", "Enter a valid date."),
        ({"start_time": "9h"}, "start_time", "Enter a valid time."),
        ({"video_link": "not a link"}, "video_link", "Enter a valid URL."),
    ],
)
def test_bad_session_input_is_explained_and_nothing_is_saved(client, signed_in_coordinator, overrides, field, message):
    cohort = _cohort()
    response = client.post(reverse("portal:session_create", kwargs={"slug": cohort.slug}), _session_post(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Session.objects.exists()


def test_a_time_the_clocks_skip_is_refused(client, signed_in_coordinator):
    # Europe/Warsaw springs forward on 31 March 2030: 02:00–03:00 does not exist.
    cohort = CohortFactory(start_date=dt.date(2030, 3, 30), end_date=dt.date(2030, 4, 1))
    response = client.post(
        reverse("portal:session_create", kwargs={"slug": cohort.slug}),
        _session_post(date="2030-03-31", start_time="02:30", end_time="04:00"),
    )
    assert "02:30 does not exist on that day in Europe/Warsaw" in str(response.context["form"].errors["start_time"])
    assert not Session.objects.exists()


def test_a_session_clash_is_explained_on_the_form_before_saving(client, signed_in_coordinator):
    anna = FacilitatorFactory(first_name="Anna", last_name="Nowak")
    cohort = _cohort(facilitators=[anna], venue="Warsaw")
    other = _cohort(name="Cohort B", facilitators=[anna], venue="Sofia")
    SessionFactory(
        cohort=other,
        title="Interviews",
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 10, tzinfo=WARSAW),
    )
    response = client.post(reverse("portal:session_create", kwargs={"slug": cohort.slug}), _session_post())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: it clashes with other bookings" in html
    assert "Facilitator Anna Nowak is already booked" in html
    assert "Cohort B: “Interviews”" in html
    assert not cohort.sessions.exists()


def test_coordinator_moves_a_session(client, signed_in_coordinator):
    cohort = _cohort()
    session = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2030, 5, 13, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 13, 10, tzinfo=WARSAW),
    )
    url = reverse("portal:session_update", kwargs={"pk": session.pk})
    initial = client.get(url).context["form"].initial
    assert (initial["date"], initial["start_time"]) == (dt.date(2030, 5, 13), dt.time(9, 0))
    response = client.post(
        url, _session_post(title=session.title, room=session.room, start_time="13:00", end_time="14:00")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2030, 5, 14, 13, tzinfo=WARSAW)
    assert session.sequence == 1


def test_a_refused_move_keeps_the_session(client, signed_in_coordinator):
    cohort = _cohort()
    SessionFactory(
        cohort=cohort,
        title="Opening",
        starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 14, 12, tzinfo=WARSAW),
    )
    session = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2030, 5, 15, 9, tzinfo=WARSAW),
        ends_at=dt.datetime(2030, 5, 15, 10, tzinfo=WARSAW),
    )
    response = client.post(reverse("portal:session_update", kwargs={"pk": session.pk}), _session_post())
    assert response.status_code == 200
    assert "“Opening” of this cohort already takes place" in response.content.decode()
    session.refresh_from_db()
    assert (session.starts_at.date(), session.sequence) == (dt.date(2030, 5, 15), 0)


def test_the_cancel_page_asks_first_then_cancels(client, signed_in_coordinator):
    session = SessionFactory(cohort=_cohort(), title="Field visit")
    url = reverse("portal:session_cancel", kwargs={"pk": session.pk})
    page = client.get(url)
    assert "Cancel “Field visit”?" in page.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    response = client.post(url, {"reason": "The venue is closed."}, follow=True)
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.CANCELLED, 1)
    assert "is cancelled" in response.content.decode()
    again = client.post(url, {"reason": ""})
    assert again.status_code == 200
    assert "already cancelled" in again.content.decode()
    assert reverse("portal:session_reinstate", kwargs={"pk": session.pk}) in again.content.decode()
    session.refresh_from_db()
    assert session.sequence == 1


def test_the_reinstate_button_schedules_a_cancelled_session_again(client, signed_in_coordinator):
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, title="Field visit", status=Session.Status.CANCELLED)
    url = reverse("portal:session_reinstate", kwargs={"pk": session.pk})
    assert client.get(url).status_code == 405  # a button, not a page
    response = client.post(url, follow=True)
    assert (
        response.redirect_chain[-1][0]
        == f"{reverse('portal:cohort_agenda', kwargs={'slug': cohort.slug})}#session-{session.pk}"
    )
    assert "“Field visit” is scheduled again." in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 1)
    response = client.post(url, follow=True)
    assert "“Field visit” is not cancelled." in response.content.decode()
    session.refresh_from_db()
    assert session.sequence == 1


def test_a_refused_reinstatement_explains_the_clash_and_keeps_the_session_cancelled(client, signed_in_coordinator):
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, title="Field visit", status=Session.Status.CANCELLED)
    SessionFactory(cohort=cohort, title="Replacement", starts_at=session.starts_at)
    response = client.post(reverse("portal:session_reinstate", kwargs={"pk": session.pk}), follow=True)
    html = response.content.decode()
    assert "nothing was saved" in html
    assert "“Replacement” of this cohort already takes place" in html
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.CANCELLED, 0)


# --- the agenda ------------------------------------------------------------------------------


def test_the_agenda_lists_every_day_with_the_actions(client, signed_in_coordinator):
    cohort = _cohort()
    session = SessionFactory(cohort=cohort, starts_at=dt.datetime(2030, 5, 14, 9, tzinfo=WARSAW))
    cancelled = SessionFactory(
        cohort=cohort, starts_at=dt.datetime(2030, 5, 15, 9, tzinfo=WARSAW), status=Session.Status.CANCELLED
    )
    html = client.get(reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug})).content.decode()
    for day in range(13, 18):
        assert f"?date=2030-05-{day}" in html  # every day of the cohort, with or without sessions
    assert reverse("portal:session_update", kwargs={"pk": session.pk}) in html
    assert reverse("portal:session_cancel", kwargs={"pk": session.pk}) in html
    assert reverse("portal:session_cancel", kwargs={"pk": cancelled.pk}) not in html
    assert reverse("portal:session_reinstate", kwargs={"pk": cancelled.pk}) in html
    assert reverse("portal:session_reinstate", kwargs={"pk": session.pk}) not in html
    assert f"{reverse('exercises:run_create', kwargs={'slug': cohort.slug})}?session={session.pk}" in html


def test_the_cohort_page_links_planning_for_coordinators_only(client, signed_in_coordinator):
    facilitator = FacilitatorFactory()
    cohort = _cohort(facilitators=[facilitator])
    agenda = reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug})
    assert agenda in client.get(cohort.get_absolute_url()).content.decode()
    course_page = client.get(cohort.course.get_absolute_url()).content.decode()
    assert reverse("portal:cohort_create", kwargs={"slug": cohort.course.slug}) in course_page
    client.force_login(facilitator)
    assert agenda not in client.get(cohort.get_absolute_url()).content.decode()


def _sessions(cohort: Cohort, count: int) -> None:
    for n in range(count):
        start = dt.datetime(2030, 5, 13 + n % 5, 8, tzinfo=WARSAW) + dt.timedelta(minutes=20 * (n // 5))
        SessionFactory(cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(minutes=15), room=f"R{n}")


@pytest.mark.parametrize("name", ["portal:cohort_agenda", "portal:cohort_detail"])
def test_agenda_pages_keep_their_query_count_from_1_to_50_sessions(
    client, signed_in_coordinator, django_assert_max_num_queries, name
):
    small, large = _cohort(), _cohort(facilitators=FacilitatorFactory.create_batch(3))
    _sessions(small, 1)
    _sessions(large, 50)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(reverse(name, kwargs={"slug": small.slug})).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse(name, kwargs={"slug": large.slug}))
    assert response.status_code == 200
    assert response.content.decode().count('<article class="agenda-item') == 50


# --- who may plan ----------------------------------------------------------------------------


def test_only_coordinators_plan(client):
    facilitator = FacilitatorFactory()
    cohort = _cohort(facilitators=[facilitator])
    session = SessionFactory(cohort=cohort)
    pages = [
        reverse("portal:cohort_create", kwargs={"slug": cohort.course.slug}),
        reverse("portal:cohort_update", kwargs={"slug": cohort.slug}),
        reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug}),
        reverse("portal:session_create", kwargs={"slug": cohort.slug}),
        reverse("portal:session_update", kwargs={"pk": session.pk}),
        reverse("portal:session_cancel", kwargs={"pk": session.pk}),
        reverse("portal:session_reinstate", kwargs={"pk": session.pk}),
    ]
    for url in pages:
        assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(facilitator)  # sees the cohort, may not plan it
    for url in pages:
        assert client.get(url).status_code == 403, url
        assert client.post(url, _session_post()).status_code == 403, url
    client.force_login(FacilitatorFactory())  # cannot see the cohort at all
    for url in pages:
        assert client.get(url).status_code == 404, url
    session.refresh_from_db()
    assert (session.status, session.sequence, cohort.sessions.count()) == (Session.Status.SCHEDULED, 0, 1)


def test_an_online_cohort_session_may_meet_on_the_cohorts_link(client, signed_in_coordinator):
    cohort = _cohort(delivery_mode=DeliveryMode.ONLINE, venue="", video_link="https://meet.example.org/a")
    response = client.post(reverse("portal:session_create", kwargs={"slug": cohort.slug}), _session_post())
    assert response.status_code == 302
    assert Session.objects.get().video_link == ""
