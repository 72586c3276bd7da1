"""Course coverage: objective × exercise × inject, unaddressed objectives, teams without a crisis inject."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import coverage, services
from exercises.models import ExerciseRun
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput
from exercises.tests.factories import CourseExerciseFactory
from trainings.models import AgencyKind
from trainings.tests.factories import CohortFactory, CourseFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _exercise(name, *, crisis=True, injects=(), teams=2, objectives=()):
    plan = ExercisePlan(
        phases=[
            PhaseInput(order=1, name="Preparation", kind="preparation", planned_minutes=15),
            PhaseInput(order=2, name="Crisis", kind="crisis" if crisis else "play", planned_minutes=30),
        ],
        team_roles=[
            TeamRoleInput(number=n, name=f"Team {name} {n}", agency_kind=AgencyKind.POLICE) for n in range(1, teams + 1)
        ],
        injects=list(injects),
    )
    return services.exercise_create(name=name, planned_minutes=45, learning_objectives=objectives, plan=plan)


@pytest.fixture
def setup():
    identify = LearningObjectiveFactory(code="identify", order=1)
    cooperate = LearningObjectiveFactory(code="cooperate", order=2)
    protect = LearningObjectiveFactory(code="protect", order=3)
    course = CourseFactory(title="Cooperation")
    course.learning_objectives.set([identify, cooperate, protect])
    # Simulation: lists "identify"; its crisis inject reaches team 1 only; a preparation inject reaches team 2.
    simulation = _exercise(
        "Simulation",
        objectives=[identify],
        injects=[
            InjectInput(number=1, title="Call", body="b", phase=2, target_teams=[1], learning_objectives=[cooperate]),
            InjectInput(number=2, title="Early", body="b", phase=1, target_teams=[2], learning_objectives=[cooperate]),
        ],
    )
    # Discussion: no crisis phase at all.
    discussion = _exercise("Discussion", crisis=False)
    # Tabletop: one crisis inject to every team (no targets).
    tabletop = _exercise("Tabletop", injects=[InjectInput(number=1, title="All", body="b", phase=2)])
    for order, exercise in enumerate((simulation, discussion, tabletop), start=1):
        CourseExerciseFactory(course=course, exercise=exercise, order=order)
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(course=course, name="Warsaw", facilitators=[facilitator])
    run = services.exercise_run_create(exercise=simulation, cohort=cohort)
    other_cohort = CohortFactory(course=course, name="Sofia")
    other_run = services.exercise_run_create(exercise=simulation, cohort=other_cohort)
    cancelled = services.exercise_run_create(exercise=simulation, cohort=cohort)
    ExerciseRun.objects.filter(pk=cancelled.pk).update(status=ExerciseRun.Status.CANCELLED)
    return {
        "course": course,
        "objectives": (identify, cooperate, protect),
        "exercises": (simulation, discussion, tabletop),
        "facilitator": facilitator,
        "runs": (run, other_run, cancelled),
    }


def test_matrix_and_flags_for_a_coordinator(setup):
    protect = setup["objectives"][2]
    run, other_run, _cancelled = setup["runs"]
    result = coverage.course_coverage(course=setup["course"], user=CoordinatorFactory())

    assert [e.name for e in result.exercises] == ["Simulation", "Discussion", "Tabletop"]
    rows = {row.objective.code: row for row in result.rows}
    assert [row.objective.code for row in result.rows] == ["identify", "cooperate", "protect"]
    assert rows["identify"].cells[0].by_exercise
    assert not rows["identify"].cells[0].injects
    assert [i.number for i in rows["cooperate"].cells[0].injects] == [1, 2]
    assert not rows["cooperate"].cells[0].by_exercise
    assert not any(cell.addressed for cell in rows["protect"].cells)
    assert result.unaddressed == [protect]

    checks = {(c.exercise.name, c.run.pk if c.run else None): c for c in result.crisis_checks}
    # Two runs of the simulation (the cancelled one is left out); discussion and tabletop are not run yet.
    assert set(checks) == {
        ("Simulation", run.pk),
        ("Simulation", other_run.pk),
        ("Discussion", None),
        ("Tabletop", None),
    }
    assert [r.number for r in checks[("Simulation", run.pk)].teams_without_inject] == [2]
    assert not checks[("Discussion", None)].crisis_phases
    assert not checks[("Discussion", None)].ok
    assert checks[("Tabletop", None)].ok
    assert [(c.exercise.name, c.run is not None) for c in result.crisis_gaps] == [
        ("Simulation", True),
        ("Simulation", True),
        ("Discussion", False),
    ]


def test_a_facilitator_sees_only_the_runs_of_their_cohorts(setup):
    run, _other, _cancelled = setup["runs"]
    result = coverage.course_coverage(course=setup["course"], user=setup["facilitator"])
    assert [c.run.pk for c in result.crisis_checks if c.run] == [run.pk]


def test_a_run_checks_its_own_teams(setup):
    simulation = setup["exercises"][0]
    run = setup["runs"][0]
    run.teams.filter(team_role__number=2).delete()  # this run plays without team 2
    result = coverage.course_coverage(course=setup["course"], user=CoordinatorFactory())
    check = next(c for c in result.crisis_checks if c.run and c.run.pk == run.pk)
    assert check.ok
    assert check.exercise == simulation


def test_coverage_page(client, setup):
    client.force_login(CoordinatorFactory())
    html = client.get(reverse("exercises:course_coverage", kwargs={"slug": setup["course"].slug})).content.decode()
    assert "Objectives no exercise or inject addresses" in html
    assert '<tr id="objective-protect">' in html
    assert "The exercise has no crisis phase." in html
    assert "Team Simulation 2" in html  # no crisis inject for it
    assert "#1</a>, " in html  # inject links in the cooperate row


def test_coverage_page_and_api_permissions(client, api_client, setup):
    course = setup["course"]
    url = reverse("exercises:course_coverage", kwargs={"slug": course.slug})
    client.force_login(setup["facilitator"])
    assert client.get(url).status_code == 200
    client.force_login(FacilitatorFactory())
    assert client.get(url).status_code == 404
    api_client.force_authenticate(setup["facilitator"])
    assert api_client.get(f"/api/v1/course-plans/{course.pk}/coverage/").status_code == 200
    api_client.force_authenticate(FacilitatorFactory())
    assert api_client.get(f"/api/v1/course-plans/{course.pk}/coverage/").status_code == 404


def test_coverage_api_shape(api_client, setup):
    api_client.force_authenticate(CoordinatorFactory())
    body = api_client.get(f"/api/v1/course-plans/{setup['course'].pk}/coverage/").json()
    assert body["course"]["title"] == "Cooperation"
    assert [e["name"] for e in body["exercises"]] == ["Simulation", "Discussion", "Tabletop"]
    assert [o["code"] for o in body["unaddressed_objectives"]] == ["protect"]
    cooperate = next(row for row in body["objectives"] if row["objective"]["code"] == "cooperate")
    assert cooperate["addressed"] is True
    assert [i["number"] for i in cooperate["cells"][0]["injects"]] == [1, 2]
    run = setup["runs"][0]
    check = next(c for c in body["crisis_checks"] if c["run"] == run.pk)
    assert check["cohort"] == "Warsaw"
    assert [t["number"] for t in check["teams_without_inject"]] == [2]
    assert check["ok"] is False
    not_run = next(c for c in body["crisis_checks"] if c["run"] is None and c["crisis_phases"] == [])
    assert not_run["cohort"] is None


def _grow(course, n):
    objectives = [LearningObjectiveFactory() for _ in range(n)]
    course.learning_objectives.add(*objectives)
    cohort = CohortFactory(course=course)
    for index in range(n):
        exercise = _exercise(
            f"Grown {course.pk} {index}",
            teams=3,
            objectives=objectives[:2],
            injects=[
                InjectInput(number=k, title="i", body="b", phase=2, target_teams=[1], learning_objectives=objectives)
                for k in range(1, 4)
            ],
        )
        CourseExerciseFactory(course=course, exercise=exercise, order=index + 1)
        services.exercise_run_create(exercise=exercise, cohort=cohort)


def test_coverage_query_count_does_not_grow(client, api_client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    api_client.force_authenticate(coordinator)
    small, large = CourseFactory(), CourseFactory()
    _grow(small, 1)
    _grow(large, 8)
    for url in (
        lambda c: reverse("exercises:course_coverage", kwargs={"slug": c.slug}),
        lambda c: f"/api/v1/course-plans/{c.pk}/coverage/",
    ):
        with CaptureQueriesContext(connection) as baseline:
            assert (client if not url(small).startswith("/api/") else api_client).get(url(small)).status_code == 200
        with django_assert_max_num_queries(len(baseline)):
            response = (client if not url(large).startswith("/api/") else api_client).get(url(large))
        assert response.status_code == 200
