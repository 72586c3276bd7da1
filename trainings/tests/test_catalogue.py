"""Catalogue pages: coordinators create, edit and retire objectives and create and edit courses."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from trainings.models import Course, LearningObjective
from trainings.tests.factories import CohortFactory, CourseFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    client.force_login(CoordinatorFactory())
    return client


def test_a_coordinator_adds_an_objective(coordinator_client):
    response = coordinator_client.post(
        reverse("trainings:objective_create"),
        {"code": "identify", "title": "Identify victims", "description": "", "category": "Skills", "order": 3},
    )
    objective = LearningObjective.objects.get(code="identify")
    assert response["Location"] == objective.get_absolute_url()
    assert (objective.title, objective.category, objective.order, objective.is_active) == (
        "Identify victims",
        "Skills",
        3,
        True,
    )


def test_bad_objective_input_is_explained_and_nothing_saved(coordinator_client):
    LearningObjectiveFactory(code="taken")
    response = coordinator_client.post(
        reverse("trainings:objective_create"), {"code": "taken", "title": "", "order": -1}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors
    assert "order" in errors
    response = coordinator_client.post(reverse("trainings:objective_create"), {"code": "taken", "title": "Twice"})
    assert "Learning objective with this Code already exists." in response.content.decode()
    assert LearningObjective.objects.count() == 1


def test_a_coordinator_edits_an_objective_and_a_refusal_changes_nothing(coordinator_client):
    objective = LearningObjectiveFactory(code="old-code", title="Old")
    LearningObjectiveFactory(code="other")
    url = reverse("trainings:objective_update", kwargs={"pk": objective.pk})
    assert coordinator_client.get(url).context["form"].initial["code"] == "old-code"
    refused = coordinator_client.post(url, {"code": "other", "title": "New", "order": 1})
    assert refused.status_code == 200
    objective.refresh_from_db()
    assert (objective.code, objective.title) == ("old-code", "Old")
    assert "Edit objective “old-code”" in refused.content.decode()
    coordinator_client.post(url, {"code": "new-code", "title": "New", "order": 1})
    objective.refresh_from_db()
    assert (objective.code, objective.title) == ("new-code", "New")


def test_retiring_asks_first_then_keeps_the_objective_on_old_records(coordinator_client):
    objective = LearningObjectiveFactory(code="old", title="Old objective")
    course = CourseFactory()
    course.learning_objectives.add(objective)
    url = reverse("portal:objective_retire", kwargs={"pk": objective.pk})
    page = coordinator_client.get(url).content.decode()
    assert "It is used by 1 course(s), 0 exercise(s) and 0 inject(s)." in page
    objective.refresh_from_db()
    assert objective.is_active
    coordinator_client.post(url)
    objective.refresh_from_db()
    assert not objective.is_active
    assert list(course.learning_objectives.all()) == [objective]
    # Not offered for a new course; still offered (and kept) on the course that has it.
    new_form = coordinator_client.get(reverse("trainings:course_create")).context["form"]
    assert objective not in new_form.fields["learning_objectives"].queryset
    edit_form = coordinator_client.get(reverse("trainings:course_update", kwargs={"slug": course.slug})).context["form"]
    assert objective in edit_form.fields["learning_objectives"].queryset


@pytest.mark.parametrize("factory", [FacilitatorFactory, ParticipantUserFactory])
def test_only_coordinators_change_the_catalogue(client, factory):
    objective = LearningObjectiveFactory(code="keep", title="Keep")
    client.force_login(factory())
    for name, kwargs in (
        ("trainings:objective_create", {}),
        ("trainings:objective_update", {"pk": objective.pk}),
        ("portal:objective_retire", {"pk": objective.pk}),
        ("trainings:course_create", {}),
    ):
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code == 403
        assert client.post(url, {"code": "x", "title": "Hijack"}).status_code == 403
    objective.refresh_from_db()
    assert objective.is_active
    assert objective.title == "Keep"
    assert not Course.objects.exists()
    assert LearningObjective.objects.count() == 1


def test_a_coordinator_creates_a_course_and_is_sent_to_choose_its_exercises(coordinator_client):
    active = LearningObjectiveFactory(code="active")
    response = coordinator_client.post(
        reverse("trainings:course_create"),
        {
            "title": "Inter-agency cooperation",
            "slug": "",
            "summary": "Five days.",
            "language": "en",
            "learning_objectives": [active.pk],
        },
    )
    course = Course.objects.get()
    assert course.slug == "inter-agency-cooperation"
    assert list(course.learning_objectives.all()) == [active]
    assert response["Location"] == reverse("exercises:course_exercises", kwargs={"slug": course.slug})


def test_a_retired_objective_cannot_be_sent_for_a_new_course(coordinator_client):
    retired = LearningObjectiveFactory(code="retired", is_active=False)
    response = coordinator_client.post(
        reverse("trainings:course_create"),
        {"title": "Sneaky", "language": "en", "learning_objectives": [retired.pk]},
    )
    assert response.status_code == 200
    assert "learning_objectives" in response.context["form"].errors
    assert not Course.objects.exists()


def test_reserved_and_taken_course_slugs_are_refused(coordinator_client):
    CourseFactory(slug="taken")
    for data in ({"title": "New", "slug": ""}, {"title": "Whatever", "slug": "new"}, {"title": "T", "slug": "taken"}):
        response = coordinator_client.post(reverse("trainings:course_create"), {**data, "language": "en"})
        assert response.status_code == 200
        assert "slug" in response.context["form"].errors
    assert Course.objects.count() == 1


def test_course_edit_page(client):
    course = CourseFactory(title="Before", slug="before")
    facilitator = FacilitatorFactory()
    CohortFactory(course=course, facilitators=[facilitator])
    url = reverse("trainings:course_update", kwargs={"slug": course.slug})
    client.force_login(facilitator)
    assert client.get(url).status_code == 403
    client.force_login(FacilitatorFactory())
    assert client.get(url).status_code == 404
    client.force_login(CoordinatorFactory())
    refused = client.post(url, {"title": "", "slug": "before", "language": "en"})
    assert refused.status_code == 200
    response = client.post(url, {"title": "After", "slug": "after", "language": "pl", "summary": "New."})
    course.refresh_from_db()
    assert (course.title, course.slug, course.language) == ("After", "after", "pl")
    assert response["Location"] == reverse("portal:course_detail", kwargs={"slug": "after"})
