"""Authoring pages: variants, course order, and who may open the editor (its sections: test_editor_views)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import services
from exercises.models import CourseExercise, Exercise
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput
from exercises.tests.factories import CourseExerciseFactory, ExerciseFactory, ExerciseRunFactory
from trainings.models import AgencyKind
from trainings.tests.factories import CohortFactory, CourseFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """What a browser would submit from the main content's first POST form, before anyone types."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._in_main = self._in_form = self._done = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "main":
            self._in_main = True
        if tag == "form" and self._in_main and (a.get("method") or "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(response) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(response.content.decode())
    # Django renders a newline after <textarea>, which browsers drop.
    return {k: [v.removeprefix("\n") for v in vs] for k, vs in parser.values.items()}


def _post(client, url, values):
    data = {k: v if len(v) != 1 else v[0] for k, v in values.items()}
    return client.post(url, data)


def _plan() -> ExercisePlan:
    return ExercisePlan(
        phases=[
            PhaseInput(order=1, name="Preparation", kind="preparation", planned_minutes=15),
            PhaseInput(order=2, name="Crisis", kind="crisis", planned_minutes=30),
        ],
        team_roles=[
            TeamRoleInput(number=1, name="Police", agency_kind=AgencyKind.POLICE),
            TeamRoleInput(number=2, name="NGO", agency_kind=AgencyKind.NGO),
        ],
        injects=[
            InjectInput(number=1, title="Moved", body="Moved.", phase=2, minute_offset=5, target_teams=[1]),
            InjectInput(number=2, title="Escape", body="Run.", phase=2, minute_offset=20, depends_on=1),
        ],
    )


@pytest.fixture
def exercise():
    return services.exercise_create(name="Recognising victims", planned_minutes=60, plan=_plan())


@pytest.fixture
def coordinator_client(client):
    client.force_login(CoordinatorFactory())
    return client


def test_edit_page_shows_the_phase_plan_warning(coordinator_client, exercise):
    html = coordinator_client.get(reverse("exercises:exercise_update", kwargs={"slug": exercise.slug})).content
    assert "The phases add up to 45 minutes and leave 15 of the planned 60 minutes unplanned." in html.decode()


def test_retired_objectives_are_offered_only_where_already_linked(coordinator_client, exercise):
    kept = LearningObjectiveFactory(code="kept-one", title="Kept")
    hidden = LearningObjectiveFactory(code="hidden-one", title="Hidden", is_active=False)
    exercise.learning_objectives.add(kept)
    kept.is_active = False
    kept.save()
    html = coordinator_client.get(reverse("exercises:exercise_update", kwargs={"slug": exercise.slug})).content
    assert "kept-one – Kept (retired)" in html.decode()
    assert hidden.code not in html.decode()
    create = coordinator_client.get(reverse("exercises:exercise_create")).content.decode()
    assert "kept-one" not in create
    assert "hidden-one" not in create


@pytest.mark.parametrize(
    "name",
    [
        "exercises:exercise_update",
        "exercises:exercise_edit_phases",
        "exercises:exercise_edit_teams",
        "exercises:exercise_edit_cell_roles",
        "exercises:exercise_edit_injects",
        "exercises:exercise_duplicate",
        "exercises:exercise_plan_import",
    ],
)
def test_facilitators_see_the_exercise_but_may_not_change_it(client, exercise, name):
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    ExerciseRunFactory(exercise=exercise, cohort=cohort)
    client.force_login(facilitator)
    url = reverse(name, kwargs={"slug": exercise.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Hijack"}).status_code == 403
    assert Exercise.objects.filter(name="Hijack").count() == 0


def test_a_facilitator_cannot_post_a_new_exercise(client):
    client.force_login(FacilitatorFactory())
    assert client.post(reverse("exercises:exercise_create"), {"name": "X"}).status_code == 403
    assert not Exercise.objects.exists()


def test_duplicate_page_makes_a_variant(coordinator_client, exercise):
    url = reverse("exercises:exercise_duplicate", kwargs={"slug": exercise.slug})
    response = coordinator_client.post(url, {"name": "", "country": "ro", "slug": ""})
    variant = Exercise.objects.get(variant_of=exercise)
    assert response["Location"] == reverse("exercises:exercise_update", kwargs={"slug": variant.slug})
    assert variant.country == "RO"
    assert variant.injects.count() == 2
    assert variant.phases.count() == 2
    response = coordinator_client.post(url, {"country": "Poland"})
    assert response.status_code == 200
    assert Exercise.objects.filter(variant_of=exercise).count() == 1


def test_course_exercises_page_orders_the_course(coordinator_client):
    course = CourseFactory()
    first, second = ExerciseFactory(name="First"), ExerciseFactory(name="Second")
    CourseExerciseFactory(course=course, exercise=first, order=1)
    url = reverse("exercises:course_exercises", kwargs={"slug": course.slug})
    values = form_values(coordinator_client.get(url))
    values["exercises-0-order"] = ["2"]
    values["exercises-1-order"] = ["1"]
    values["exercises-1-exercise"] = [str(second.pk)]
    response = _post(coordinator_client, url, values)
    assert response.status_code == 302
    assert list(course.course_exercises.order_by("order").values_list("exercise__name", flat=True)) == [
        "Second",
        "First",
    ]
    values = form_values(coordinator_client.get(url))
    values["exercises-1-exercise"] = values["exercises-0-exercise"]
    html = _post(coordinator_client, url, values).content.decode()
    assert "is listed twice." in html
    assert CourseExercise.objects.filter(course=course).count() == 2


def test_course_exercises_page_is_for_coordinators(client):
    facilitator = FacilitatorFactory()
    course = CourseFactory()
    CohortFactory(course=course, facilitators=[facilitator])
    client.force_login(facilitator)
    url = reverse("exercises:course_exercises", kwargs={"slug": course.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_course_exercises_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(CoordinatorFactory())
    small, large = CourseFactory(), CourseFactory()
    CourseExerciseFactory(course=small, order=1)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(reverse("exercises:course_exercises", kwargs={"slug": small.slug})).status_code == 200
    for n in range(1, 26):
        CourseExerciseFactory(course=large, order=n)
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(reverse("exercises:course_exercises", kwargs={"slug": large.slug}))
    assert response.content.decode().count('name="exercises-') > 25 * 2
