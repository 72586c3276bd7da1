"""The browsable API's forms offer only what the reader may see (hardening item 1, exercises' part).

The HTML renderer renders a form for a detail route even on 403/405, with every row of each related
field in a drop-down: a participant saw every exercise name at /api/v1/exercises/<any>/duplicate/.
Whether that renderer is on outside DEBUG is config's; with it on (as in DEBUG), the exercises
endpoints must not leak: output fields are read only, input fields offer ``visible_to`` rows.
"""

import pytest
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from accounts.tests.factories import FacilitatorFactory
from exercises.api.courses import CoursePlanViewSet
from exercises.api.exercises import ExerciseViewSet
from exercises.api.runs import ExerciseRunViewSet
from exercises.tests.factories import CourseExerciseFactory, ExerciseFactory, ExerciseRunFactory
from tests.world import World, build_world
from trainings.tests.factories import CohortFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

SECRETS = ("SECRET-EXERCISE", "SECRET-COHORT", "SECRET-SESSION", "secret-lead@", "SECRET-COURSE")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def browsable(monkeypatch, settings):
    settings.DEBUG = True  # core.negotiation offers the browsable API in DEBUG only
    for viewset in (ExerciseViewSet, ExerciseRunViewSet, CoursePlanViewSet):
        monkeypatch.setattr(viewset, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])


@pytest.fixture
def secret():
    """Rows nobody of the world's cohorts may see: another course, cohort, session, lead and exercise."""
    lead = FacilitatorFactory(email="secret-lead@elsewhere.test")
    course = CourseFactory(title="SECRET-COURSE")
    cohort = CohortFactory(course=course, name="SECRET-COHORT", facilitators=[lead])
    session = SessionFactory(cohort=cohort, title="SECRET-SESSION")
    exercise = ExerciseFactory(name="SECRET-EXERCISE")
    CourseExerciseFactory(course=course, exercise=exercise)
    return ExerciseRunFactory(exercise=exercise, cohort=cohort, session=session, lead_facilitator=lead)


def _routes(world: World, secret) -> list[str]:
    run, exercise = world.run_other, world.exercise_other  # of cohort B, which the reader takes part in
    return [
        "/api/v1/exercises/",
        "/api/v1/exercises/999/",
        "/api/v1/exercises/999/duplicate/",
        "/api/v1/exercises/999/import/",
        f"/api/v1/exercises/{exercise.pk}/duplicate/",
        f"/api/v1/exercises/{secret.exercise.pk}/duplicate/",
        "/api/v1/exercise-runs/",
        "/api/v1/exercise-runs/999/",
        f"/api/v1/exercise-runs/{run.pk}/",
        f"/api/v1/exercise-runs/{run.pk}/teams/propose/",
        f"/api/v1/exercise-runs/{run.pk}/teams/confirm/",
        "/api/v1/course-plans/",
        f"/api/v1/course-plans/{world.course_other.pk}/",
        f"/api/v1/course-plans/{secret.cohort.course.pk}/",
    ]


@pytest.mark.parametrize("role", ["participant_other", "facilitator_other"])
def test_no_api_page_shows_a_name_the_reader_may_not_see(client, world, secret, browsable, role):
    client.force_login(world.users[role])
    for route in _routes(world, secret):
        for response in (client.get(route, HTTP_ACCEPT="text/html"), client.get(route, {"format": "api"})):
            assert response["Content-Type"].startswith("text/html"), route
            html = response.content.decode()
            leaked = [name for name in SECRETS if name in html]
            assert not leaked, (route, response.status_code, leaked)


def test_the_forms_offer_what_the_reader_sees(client, world, secret, browsable):
    """The coordinator's forms still offer everything: the restriction is visibility, not a blank form."""
    client.force_login(world.users["coordinator"])
    html = client.get("/api/v1/exercise-runs/", {"format": "api"}).content.decode()
    assert "SECRET-COHORT" in html
    assert "SECRET-SESSION" in html
