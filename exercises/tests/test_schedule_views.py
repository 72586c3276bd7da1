"""Scheduling a run from its pages and over the API: forms, conflicts shown, warnings, who may."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.models import ExerciseRun
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory
from exercises.tests.test_schedule import API, at, exercise_of, warsaw_cohort
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def planning():  # type: ignore[no-untyped-def]
    lead = FacilitatorFactory(first_name="Lena", last_name="Vogel")
    cohort = warsaw_cohort(facilitators=[lead], venue="Warsaw")
    session = SessionFactory(cohort=cohort, title="Morning", starts_at=at(9), ends_at=at(10))
    return cohort, session, lead


def test_coordinator_schedules_a_run_from_the_page_and_sees_the_warning(client, planning):
    cohort, session, lead = planning
    exercise = exercise_of(45, 45)
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_create", kwargs={"slug": cohort.slug})
    page = client.get(url, {"session": session.pk})
    assert page.status_code == 200
    assert f'<option value="{session.pk}" selected>' in page.content.decode()
    response = client.post(
        url, {"exercise": exercise.pk, "session": session.pk, "lead_facilitator": lead.pk}, follow=True
    )
    run = ExerciseRun.objects.get(cohort=cohort)
    assert (run.session, run.lead_facilitator, run.exercise) == (session, lead, exercise)
    html = response.content.decode()
    assert "runs 30 minutes long" in html
    assert "Runs long" in html  # the agenda's mark on the session
    assert response.redirect_chain[-1][0].startswith(reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug}))


def test_a_refused_run_shows_its_conflicts_and_saves_nothing(client, planning):
    cohort, session, lead = planning
    elsewhere = warsaw_cohort(name="Cohort B", venue="Sofia")
    ExerciseRunFactory(
        cohort=elsewhere,
        session=SessionFactory(cohort=elsewhere, starts_at=at(9), ends_at=at(10)),
        lead_facilitator=lead,
    )
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("exercises:run_create", kwargs={"slug": cohort.slug}),
        {"exercise": exercise_of(30).pk, "session": session.pk, "lead_facilitator": lead.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: it clashes with other bookings" in html
    assert "Lena Vogel" in html
    assert "Cohort B" in html
    assert not ExerciseRun.objects.filter(cohort=cohort).exists()


def test_coordinator_moves_a_run_to_another_session(client, planning):
    cohort, session, _lead = planning
    later = SessionFactory(cohort=cohort, title="Afternoon", starts_at=at(14), ends_at=at(16))
    run = ExerciseRunFactory(cohort=cohort, session=session, exercise=exercise_of(30))
    client.force_login(CoordinatorFactory())
    response = client.post(reverse("exercises:run_update", kwargs={"pk": run.pk}), {"session": later.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.session == later


def test_the_run_form_offers_free_scheduled_sessions_of_the_cohort_only(client, planning):
    cohort, _session, _lead = planning
    taken = SessionFactory(cohort=cohort, title="Taken", starts_at=at(11), ends_at=at(12))
    ExerciseRunFactory(cohort=cohort, session=taken)
    SessionFactory(cohort=cohort, title="Called off", starts_at=at(13), ends_at=at(14), status="cancelled")
    SessionFactory(title="Another cohort's")
    client.force_login(CoordinatorFactory())
    html = client.get(reverse("exercises:run_create", kwargs={"slug": cohort.slug})).content.decode()
    assert "2030-05-13 09:00–10:00 · Morning" in html
    for absent in ("Taken", "Called off", "Another cohort&#x27;s"):
        assert absent not in html


def test_the_run_form_offers_the_cohorts_facilitators_as_leads_only(client, planning):
    cohort, session, _lead = planning
    outsider = FacilitatorFactory(first_name="Olga", last_name="Petrova")
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_create", kwargs={"slug": cohort.slug})
    html = client.get(url).content.decode()
    assert "Lena Vogel" in html
    assert "Olga Petrova" not in html
    response = client.post(
        url, {"exercise": exercise_of(30).pk, "session": session.pk, "lead_facilitator": outsider.pk}
    )
    assert response.status_code == 200
    assert "lead_facilitator" in response.context["form"].errors
    assert not ExerciseRun.objects.filter(cohort=cohort).exists()


def test_the_run_form_keeps_a_started_run_in_its_session(client, planning):
    cohort, session, lead = planning
    later = SessionFactory(cohort=cohort, title="Afternoon", starts_at=at(14), ends_at=at(16))
    run = ExerciseRunFactory(cohort=cohort, session=session, exercise=exercise_of(30), status=ExerciseRun.Status.PAUSED)
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:run_update", kwargs={"pk": run.pk})
    page = client.get(url)
    assert page.context["form"].fields["session"].disabled
    assert "The run has started: it stays in its session." in page.content.decode()
    response = client.post(url, {"session": later.pk, "lead_facilitator": lead.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.session, run.lead_facilitator) == (session, lead)


def test_only_coordinators_schedule_runs(client, planning):
    # Participants get the same answers: see tests/walk_schedule.py, which walks every role.
    cohort, session, lead = planning
    run = ExerciseRunFactory(cohort=cohort, session=session)
    client.force_login(lead)
    create = reverse("exercises:run_create", kwargs={"slug": cohort.slug})
    update = reverse("exercises:run_update", kwargs={"pk": run.pk})
    assert client.get(create).status_code == 403
    assert client.post(create, {"exercise": exercise_of(30).pk}).status_code == 403
    assert client.post(update, {"session": ""}).status_code == 403
    run.refresh_from_db()
    assert run.session == session
    client.force_login(FacilitatorFactory())  # facilitates nothing: cannot see the cohort
    assert client.get(create).status_code == 404
    assert client.get(update).status_code == 404


def test_the_run_form_page_keeps_its_query_count_as_sessions_grow(client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    small = warsaw_cohort(facilitators=[FacilitatorFactory()])
    SessionFactory(cohort=small, starts_at=at(9), ends_at=at(10))
    large = warsaw_cohort(facilitators=FacilitatorFactory.create_batch(3))
    for n in range(50):
        start = at(8) + dt.timedelta(days=n % 5, minutes=20 * (n // 5))
        SessionFactory(cohort=large, starts_at=start, ends_at=start + dt.timedelta(minutes=15))
    ExerciseFactory.create_batch(5)
    url_small = reverse("exercises:run_create", kwargs={"slug": small.slug})
    url_large = reverse("exercises:run_create", kwargs={"slug": large.slug})
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url_small).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url_large).status_code == 200


# --- API -------------------------------------------------------------------------------------


def test_api_run_create_returns_warnings_for_a_run_that_runs_long(api_client, planning):
    cohort, session, lead = planning
    api_client.force_login(CoordinatorFactory())
    response = api_client.post(
        f"{API}/exercise-runs/",
        {"exercise": exercise_of(45, 45).pk, "cohort": cohort.pk, "session": session.pk, "lead_facilitator": lead.pk},
    )
    assert response.status_code == 201, response.content
    [warning] = response.json()["warnings"]
    assert (warning["code"], warning["severity"], warning["clashes_with"]) == ("run_too_long", "soft", None)
    assert ExerciseRun.objects.filter(cohort=cohort, session=session).exists()


def test_api_run_update_refuses_a_busy_lead_with_the_conflicts(api_client, planning):
    cohort, session, lead = planning
    run = ExerciseRunFactory(cohort=cohort, session=session, exercise=exercise_of(30))
    elsewhere = warsaw_cohort(name="Cohort B", venue="Sofia")
    other_session = SessionFactory(cohort=elsewhere, starts_at=at(9), ends_at=at(10))
    ExerciseRunFactory(cohort=elsewhere, session=other_session, lead_facilitator=lead)
    api_client.force_login(CoordinatorFactory())
    response = api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"lead_facilitator": lead.pk})
    assert response.status_code == 400
    body = response.json()
    [conflict] = body["conflicts"]
    assert (conflict["code"], conflict["severity"]) == ("lead_facilitator_booked", "hard")
    assert conflict["clashes_with"]["id"] == other_session.pk
    assert body["non_field_errors"]
    run.refresh_from_db()
    assert run.lead_facilitator is None
