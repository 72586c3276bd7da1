import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from trainings.tests.factories import CohortFactory, CourseFactory, LearningObjectiveFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# --- allauth pages in our layout -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_reset_password", "account_reset_password_done", "account_reset_password_from_key_done"],
)
def test_allauth_entrance_pages_use_the_concord_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'class="skip-link"' in html
    assert "css/concord.css" in html
    assert 'name="viewport"' in html


def test_login_page_offers_no_sign_up_and_links_password_reset(client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in html
    assert reverse("account_reset_password") in html
    assert 'for="id_login"' in html  # every input has a visible label


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_password_pages_for_signed_in_people_use_the_concord_layout(client):
    client.force_login(ParticipantUserFactory())
    for name in ("account_change_password", "account_logout"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "base.html" in [t.name for t in response.templates]


def test_password_reset_by_email_runs_through_our_pages(client, mailoutbox):
    ParticipantUserFactory(email="reset@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response["Location"] == reverse("account_reset_password_done")
    [message] = mailoutbox
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    assert 'name="password1"' in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else path,
        {"password1": "A-new-long-passphrase-9", "password2": "A-new-long-passphrase-9"},
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert client.login(email="reset@example.org", password="A-new-long-passphrase-9")


def test_signing_in_lands_on_the_dashboard(client):
    user = FacilitatorFactory(email="lands@example.org")
    response = client.post(reverse("account_login"), {"login": "lands@example.org", "password": "concord-pass-1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"] == user


def test_anonymous_people_are_sent_to_sign_in(client):
    cohort = CohortFactory()
    for url in (reverse("dashboard"), reverse("trainings:cohort_list"), cohort.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- navigation by role ----------------------------------------------------------------------


def test_navigation_shows_exercises_to_staff_only(client):
    exercises_url = reverse("exercises:exercise_list")
    client.force_login(ParticipantUserFactory())
    html = client.get(reverse("trainings:objective_list")).content.decode()
    assert exercises_url not in html
    assert reverse("participants:me") in html
    client.force_login(FacilitatorFactory())
    assert exercises_url in client.get(reverse("trainings:objective_list")).content.decode()


# --- catalogue, courses and cohorts ----------------------------------------------------------


def test_objective_catalogue_anchors_each_objective_and_marks_retired_ones(client):
    LearningObjectiveFactory(code="cooperation", title="Enhance international cooperation")
    LearningObjectiveFactory(code="old-one", title="Old objective", is_active=False)
    client.force_login(ParticipantUserFactory())
    html = client.get(reverse("trainings:objective_list")).content.decode()
    assert 'id="cooperation"' in html
    assert "Enhance international cooperation" in html
    assert "Retired" in html


def test_course_page_is_404_for_a_facilitator_of_another_course(client):
    facilitator = FacilitatorFactory()
    CohortFactory(facilitators=[facilitator])
    other_course = CourseFactory()
    CohortFactory(course=other_course)
    client.force_login(facilitator)
    assert client.get(other_course.get_absolute_url()).status_code == 404


def test_cohort_list_shows_only_cohorts_the_facilitator_runs(client):
    facilitator = FacilitatorFactory()
    mine = CohortFactory(name="Mine", facilitators=[facilitator])
    CohortFactory(name="Someone else's")
    client.force_login(facilitator)
    response = client.get(reverse("trainings:cohort_list"))
    assert list(response.context["cohorts"]) == [mine]
    assert "Someone else&#x27;s" not in response.content.decode()


def test_agenda_shows_times_in_the_cohorts_time_zone(client):
    cohort = CohortFactory(time_zone="America/New_York", start_date=dt.date(2026, 1, 14), end_date=dt.date(2026, 1, 16))
    # 03:00 UTC on the 15th is 22:00 on the 14th in New York (EST, UTC-5): the agenda files it on the 14th.
    SessionFactory(
        cohort=cohort,
        title="Evening briefing",
        starts_at=dt.datetime(2026, 1, 15, 3, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 1, 15, 4, 30, tzinfo=UTC),
    )
    SessionFactory(
        cohort=cohort,
        title="Morning simulation",
        starts_at=dt.datetime(2026, 1, 15, 14, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 1, 15, 16, 0, tzinfo=UTC),
    )
    client.force_login(CoordinatorFactory())
    response = client.get(cohort.get_absolute_url())
    html = response.content.decode()
    assert [day.date for day in response.context["agenda"]] == [dt.date(2026, 1, 14), dt.date(2026, 1, 15)]
    assert "Wednesday, 14 January 2026" in html
    assert ">22:00</time>–<time" in html
    assert ">09:00</time>–<time" in html
    assert ">11:00</time>" in html
    assert ">14:00</time>" not in html  # the UTC time is never shown
    assert "EST" in html
    assert "America/New_York" in html


# --- query counts: same with 1 and with 50 objects -------------------------------------------


def test_cohort_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    CohortFactory()
    url = reverse("trainings:cohort_list")
    small = _queries(client, url)
    CohortFactory.create_batch(49)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["cohorts"]) == 25  # paginated


def test_course_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    facilitator = FacilitatorFactory()
    client.force_login(facilitator)
    CohortFactory(facilitators=[facilitator])
    url = reverse("trainings:course_list")
    small = _queries(client, url)
    for _ in range(49):
        CohortFactory(facilitators=[facilitator])
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.context["paginator"].count == 50


def test_objective_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(ParticipantUserFactory())
    LearningObjectiveFactory()
    url = reverse("trainings:objective_list")
    small = _queries(client, url)
    LearningObjectiveFactory.create_batch(49)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["objectives"]) == 50


def test_cohort_agenda_query_count_does_not_grow_with_sessions(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    cohort = CohortFactory()
    start = dt.datetime.combine(cohort.start_date, dt.time(9, 0), tzinfo=cohort.tz)
    SessionFactory(cohort=cohort, starts_at=start)
    small = _queries(client, cohort.get_absolute_url())
    for i in range(1, 50):
        SessionFactory(cohort=cohort, starts_at=start + dt.timedelta(hours=3 * i))
    with django_assert_max_num_queries(small):
        response = client.get(cohort.get_absolute_url())
    assert sum(len(day.entries) for day in response.context["agenda"]) == 50
