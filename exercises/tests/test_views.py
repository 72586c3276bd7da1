import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.models import Handout, Inject
from exercises.tests.factories import (
    CourseExerciseFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    InjectFactory,
    PhaseFactory,
    RunTeamFactory,
    TeamRoleFactory,
)
from trainings.models import AgencyKind
from trainings.tests.factories import CohortFactory, LearningObjectiveFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def guide():
    """A small but complete facilitator guide, planned 90 minutes with 75 minutes of phases."""
    objective = LearningObjectiveFactory(title="Improve victim identification")
    exercise = ExerciseFactory(
        name="Recognising victims",
        planned_minutes=90,
        aim="Practise inter-agency cooperation.",
        materials="Role cards, phones.",
        facilitator_guidelines="Keep time strictly.",
        tips="Let teams struggle a little.",
        online_variation="Use breakout rooms.",
        debriefing_guidance="Ask who informed whom.",
    )
    exercise.learning_objectives.add(objective)
    preparation = PhaseFactory(exercise=exercise, order=1, name="Preparation", planned_minutes=15)
    PhaseFactory(exercise=exercise, order=2, name="Preliminary phase", planned_minutes=15)
    crisis = PhaseFactory(exercise=exercise, order=3, name="Crisis phase", planned_minutes=30)
    PhaseFactory(exercise=exercise, order=4, name="Debriefing", planned_minutes=15)
    police = TeamRoleFactory(
        exercise=exercise, number=1, name="Police", agency_kind=AgencyKind.POLICE, briefing="Police briefing"
    )
    TeamRoleFactory(exercise=exercise, number=2, name="NGO", agency_kind=AgencyKind.NGO, tasks="Shelter victims")
    moved = InjectFactory(
        exercise=exercise,
        number=1,
        title="Victims moved to a neighbouring region",
        phase=crisis,
        minute_offset=5,
        kind=Inject.Kind.NEW_INFORMATION,
        channel=Inject.Channel.PHONE,
        expected_actions="Alert the border guard.",
    )
    moved.target_roles.add(police)
    moved.learning_objectives.add(objective)
    InjectFactory(
        exercise=exercise,
        number=2,
        title="A suspect tries to escape",
        phase=crisis,
        minute_offset=20,
        depends_on=moved,
    )
    InjectFactory(
        exercise=exercise, number=3, title="Transport difficulties", phase=preparation, kind=Inject.Kind.LOGISTICAL
    )
    Handout.objects.create(exercise=exercise, title="Role card", file=ContentFile(b"card", name="card.txt"))
    return exercise


def test_the_guide_shows_everything_a_facilitator_needs(client, guide):
    client.force_login(CoordinatorFactory())
    response = client.get(guide.get_absolute_url())
    html = response.content.decode()
    for text in (
        "Practise inter-agency cooperation.",
        "Role cards, phones.",
        "Keep time strictly.",
        "Let teams struggle a little.",
        "Use breakout rooms.",
        "Ask who informed whom.",
        "Improve victim identification",
        "Preliminary phase",
        "Team 1: Police",
        "Police briefing",
        "Shelter victims",
        "Victims moved to a neighbouring region",
        "Phone",
        "Alert the border guard.",
        "Logistical problem",
        'href="#inject-1"',  # inject 2 depends on inject 1
        "minute 5 (minute 35 of the exercise)",
        "Role card",
        f"/exercises/{guide.slug}/handouts/",  # the file, through the view that asks the rules
    ):
        assert text in html, text


def test_coordinators_see_the_phase_plan_warning(client, guide):
    client.force_login(CoordinatorFactory())
    response = client.get(guide.get_absolute_url())
    assert response.context["plan_warnings"] == [
        "The phases add up to 75 minutes and leave 15 of the planned 90 minutes unplanned."
    ]
    assert "leave 15 of the planned 90 minutes unplanned" in response.content.decode()


def test_facilitators_read_the_guide_without_the_coordinators_warning(client, guide):
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    CourseExerciseFactory(course=cohort.course, exercise=guide)
    client.force_login(facilitator)
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert "plan_warnings" not in response.context
    assert "unplanned" not in response.content.decode()


def test_the_guide_is_404_for_a_facilitator_of_another_cohort(client, guide):
    facilitator = FacilitatorFactory()
    CohortFactory(facilitators=[facilitator])
    client.force_login(facilitator)
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_run_page_shows_staff_every_team_with_its_planned_phases(client, guide):
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    session = SessionFactory(cohort=cohort)
    run = ExerciseRunFactory(exercise=guide, cohort=cohort, session=session)
    for role in guide.team_roles.all():
        RunTeamFactory(run=run, team_role=role)
    client.force_login(facilitator)
    response = client.get(run.get_absolute_url())
    assert response.context["can_manage"] is True
    assert [str(team) for team in response.context["teams"]] == ["Team 1: Police", "Team 2: NGO"]
    assert [p.phase.name for p in response.context["phase_plan"]] == [
        "Preparation",
        "Preliminary phase",
        "Crisis phase",
        "Debriefing",
    ]
    assert ">09:15</time>–<time" in response.content.decode()


def test_exercise_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    PhaseFactory()
    url = reverse("exercises:exercise_list")
    small = _queries(client, url)
    for _ in range(49):
        PhaseFactory()
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.context["paginator"].count == 50


def test_exercise_list_for_a_facilitator_query_count_does_not_grow(client, django_assert_max_num_queries):
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    client.force_login(facilitator)
    ExerciseRunFactory(cohort=cohort)
    url = reverse("exercises:exercise_list")
    small = _queries(client, url)
    for _ in range(49):
        ExerciseRunFactory(cohort=cohort)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.context["paginator"].count == 50


def test_guide_query_count_does_not_grow_with_injects(client, guide, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    small = _queries(client, guide.get_absolute_url())
    crisis = guide.phases.get(order=3)
    roles = list(guide.team_roles.all())
    for number in range(4, 51):
        inject = InjectFactory(exercise=guide, number=number, phase=crisis, minute_offset=number % 30)
        inject.target_roles.add(*roles)
    with django_assert_max_num_queries(small):
        response = client.get(guide.get_absolute_url())
    assert len(response.context["guide"].injects) == 50
