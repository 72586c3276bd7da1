"""The cohort page: constant queries whatever the cohort's size, and a cache that never shows stale facts."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import services as exercise_services
from exercises.tests.factories import ExerciseFactory, PhaseFactory
from participants.tests.factories import EnrolmentFactory
from trainings import services as training_services
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _cohort(participants: int, sessions: int = 3):
    cohort = CohortFactory(capacity=max(participants, 1))
    EnrolmentFactory.create_batch(participants, cohort=cohort)
    for day in range(sessions):
        starts = dt.datetime.combine(cohort.start_date, dt.time(9 + day % 3), tzinfo=cohort.tz)
        SessionFactory(cohort=cohort, starts_at=starts, ends_at=starts + dt.timedelta(minutes=50))
    return cohort


@pytest.mark.parametrize("participants", [10, 500])
def test_the_cohort_page_keeps_its_query_count_for_10_and_500_participants(
    client, coordinator, participants, django_assert_max_num_queries
):
    cohort = _cohort(participants)
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):  # cold cache: the agenda is built
        assert client.get(cohort.get_absolute_url()).status_code == 200
    # Warm cache: session, user, roles, the cohort, and (for those who see the roster) its places taken.
    with django_assert_max_num_queries(5):
        response = client.get(cohort.get_absolute_url())
    assert f"{participants} of {cohort.capacity} places taken" in response.content.decode()


def test_moving_or_renaming_a_session_shows_at_once(client, coordinator):
    cohort = _cohort(2)
    session = cohort.sessions.first()
    client.force_login(coordinator)
    assert session.title in client.get(cohort.get_absolute_url()).content.decode()

    training_services.session_update(session=session, data={"title": "Crisis simulation, moved"})
    assert "Crisis simulation, moved" in client.get(cohort.get_absolute_url()).content.decode()


def test_a_new_run_and_a_changed_phase_plan_show_at_once(client, coordinator):
    cohort = _cohort(2, sessions=1)
    session = cohort.sessions.get()
    exercise = ExerciseFactory(planned_minutes=45)
    PhaseFactory(exercise=exercise, order=1, name="Preliminary phase", planned_minutes=15)
    client.force_login(coordinator)
    client.get(cohort.get_absolute_url())

    exercise_services.exercise_run_create(exercise=exercise, cohort=cohort, session=session)
    assert "Preliminary phase" in client.get(cohort.get_absolute_url()).content.decode()

    plan = exercise_services.exercise_plan_of(exercise=exercise)
    plan.phases[0] = dataclasses.replace(plan.phases[0], name="Briefing")
    exercise_services.exercise_update(exercise=exercise, data={}, plan=plan)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Briefing" in page
    assert "Preliminary phase" not in page


def test_a_new_facilitator_shows_at_once(client):
    coordinator = CoordinatorFactory()
    cohort = _cohort(1)
    client.force_login(coordinator)
    client.get(cohort.get_absolute_url())

    anna = FacilitatorFactory(first_name="Anna", last_name="Kowalczyk")
    training_services.cohort_update(cohort=cohort, data={"facilitators": [anna]})
    assert "Anna Kowalczyk" in client.get(cohort.get_absolute_url()).content.decode()


def test_the_cache_does_not_share_staff_links_with_participants(client, coordinator):
    cohort = _cohort(1)
    enrolment = cohort.enrolments.get()
    session = cohort.sessions.first()
    edit = reverse("portal:session_update", args=[session.pk])
    client.force_login(coordinator)
    assert edit in client.get(cohort.get_absolute_url()).content.decode()

    client.force_login(enrolment.participant.user)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert session.title in page
    assert edit not in page


def test_a_renamed_course_shows_at_once(client, coordinator):
    cohort = _cohort(1)
    client.force_login(coordinator)
    assert cohort.course.title in client.get(cohort.get_absolute_url()).content.decode()

    training_services.course_update(course=cohort.course, data={"title": "Victim identification, 2nd edition"})
    assert "Victim identification, 2nd edition" in client.get(cohort.get_absolute_url()).content.decode()


def test_the_cached_header_does_not_share_planning_links_with_participants(client, coordinator):
    cohort = _cohort(1)
    plan = reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug})
    client.force_login(coordinator)
    assert plan in client.get(cohort.get_absolute_url()).content.decode()

    client.force_login(cohort.enrolments.get().participant.user)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert cohort.name in page
    assert plan not in page
