"""API for authoring exercises and ordering a course's exercises: shapes, rules, permissions, queries."""

import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import services
from exercises.models import Exercise, Inject, Phase, TeamRole
from exercises.tests.factories import CourseExerciseFactory, ExerciseFactory, ExerciseRunFactory
from trainings.tests.factories import CohortFactory, CourseFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _payload(objective_id: int | None = None) -> dict:
    return {
        "name": "Interviewing suspects",
        "planned_minutes": 45,
        "kind": "role_play",
        "country": "bg",
        "learning_objectives": [objective_id] if objective_id else [],
        "phases": [
            {"order": 1, "name": "Preparation", "kind": "preparation", "planned_minutes": 15},
            {"order": 2, "name": "Crisis", "kind": "crisis", "planned_minutes": 30},
        ],
        "team_roles": [
            {"number": 1, "name": "Police", "agency_kind": "police", "briefing": "You lead."},
            {"number": 2, "name": "Prosecution", "agency_kind": "prosecution"},
        ],
        "injects": [
            {
                "number": 1,
                "title": "Suspect talks",
                "body": "He wants a lawyer.",
                "phase_number": 2,
                "minute_offset": 3,
                "target_team_numbers": [1, 2],
                "learning_objectives": [objective_id] if objective_id else [],
            },
            {"number": 2, "title": "Lawyer", "body": "Arrives.", "phase_number": 2, "depends_on_number": 1},
        ],
    }


def _counts():
    return Exercise.objects.count(), Phase.objects.count(), TeamRole.objects.count(), Inject.objects.count()


def test_create_with_the_whole_plan(api_client):
    objective = LearningObjectiveFactory()
    api_client.force_authenticate(CoordinatorFactory())
    response = api_client.post("/api/v1/exercises/", _payload(objective.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["country"] == "BG"
    assert body["kind"] == "role_play"
    assert [p["name"] for p in body["phases"]] == ["Preparation", "Crisis"]
    exercise = Exercise.objects.get(pk=body["id"])
    first, second = exercise.injects.order_by("number")
    assert first.phase.name == "Crisis"
    assert sorted(first.target_roles.values_list("number", flat=True)) == [1, 2]
    assert list(first.learning_objectives.all()) == [objective]
    assert second.depends_on == first


def test_bad_input_answers_flat_field_errors_and_saves_nothing(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    payload = _payload()
    payload["phases"][1]["planned_minutes"] = "half an hour"  # shape: caught by the serializer
    response = api_client.post("/api/v1/exercises/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"phases[1].planned_minutes": ["A valid integer is required."]}

    payload = _payload()
    payload["injects"][0]["minute_offset"] = 30  # rules: caught by the service
    payload["injects"][1]["depends_on_number"] = 7
    payload["team_roles"][1]["number"] = 1
    response = api_client.post("/api/v1/exercises/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["injects[0].minute_offset"] == ["The offset must fall inside the phase “Crisis”: 0 to 29 minutes."]
    assert errors["injects[1].depends_on_number"] == ["There is no inject number 7."]
    assert errors["team_roles[1].number"] == ["Number 1 is used twice."]
    assert _counts() == (0, 0, 0, 0)


def test_a_wrong_choice_names_the_valid_ones(api_client):
    """Hardening item 26: “"surprise" is not a valid choice.” did not say what is."""
    api_client.force_authenticate(CoordinatorFactory())
    payload = _payload()
    payload["kind"] = "game"
    payload["phases"][0]["kind"] = "surprise"
    payload["team_roles"][0]["agency_kind"] = "army"
    payload["injects"][0]["channel"] = "pigeon"
    response = api_client.post("/api/v1/exercises/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["kind"] == [
        "“game” is not a valid choice; use one of: simulation, tabletop, role_play, case_study, discussion, lecture."
    ]
    assert errors["phases[0].kind"] == [
        "“surprise” is not a valid choice; use one of: preparation, play, crisis, debriefing."
    ]
    assert errors["team_roles[0].agency_kind"][0].startswith("“army” is not a valid choice; use one of: police, ")
    assert errors["injects[0].channel"] == [
        "“pigeon” is not a valid choice; use one of: in_person, phone, email, message, radio, document, video."
    ]


def test_a_wrong_filter_choice_names_the_valid_ones(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    response = api_client.get("/api/v1/exercises/", {"kind": "game"})
    assert response.status_code == 400
    assert response.json() == {
        "kind": [
            "“game” is not a valid choice; choose one of: "
            "simulation, tabletop, role_play, case_study, discussion, lecture."
        ]
    }
    refused = api_client.get("/api/v1/exercise-runs/", {"status": "paused-ish"}).json()
    assert refused["status"][0].endswith("choose one of: planned, running, paused, finished, cancelled.")


def test_patch_validates_each_plan_row_whole(api_client):
    """Hardening item 20: partial=True made the nested rows partial too, and a row without its name
    reached the service: 500 KeyError 'name'. A PATCH leaves out exercise fields, never row fields
    (a team's agency kind is optional: a mixed team has none)."""
    api_client.force_authenticate(CoordinatorFactory())
    created = api_client.post("/api/v1/exercises/", _payload(), format="json").json()
    url = f"/api/v1/exercises/{created['id']}/"
    response = api_client.patch(
        url,
        {
            "phases": [{"order": 1}],
            "team_roles": [{"number": 1, "name": "Police"}],
            "injects": [{"number": 1, "body": "No title."}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "phases[0].name": ["This field is required."],
        "phases[0].planned_minutes": ["This field is required."],
        "injects[0].title": ["This field is required."],
    }
    assert api_client.get(url).json()["phases"] == created["phases"]


def test_patch_replaces_the_plan_only_as_a_whole(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    created = api_client.post("/api/v1/exercises/", _payload(), format="json").json()
    url = f"/api/v1/exercises/{created['id']}/"

    only_phases = api_client.patch(url, {"phases": []}, format="json")
    assert only_phases.status_code == 400
    assert only_phases.json() == {
        "non_field_errors": ["Send phases, team_roles and injects together: the plan is replaced as a whole."]
    }

    renamed = api_client.patch(url, {"name": "Renamed", "planned_minutes": 50}, format="json")
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Renamed"
    assert len(renamed.json()["injects"]) == 2

    crisis_id = next(p["id"] for p in created["phases"] if p["name"] == "Crisis")
    police_id = next(r["id"] for r in created["team_roles"] if r["number"] == 1)
    first_id = next(i["id"] for i in created["injects"] if i["number"] == 1)
    plan = {
        "phases": [{"id": crisis_id, "order": 1, "name": "Crisis", "kind": "crisis", "planned_minutes": 50}],
        "team_roles": [{"id": police_id, "number": 1, "name": "Police", "agency_kind": "police"}],
        "injects": [
            {"id": first_id, "number": 1, "title": "Suspect talks", "body": "Again.", "phase_number": 1},
        ],
    }
    replaced = api_client.patch(url, plan, format="json")
    assert replaced.status_code == 200, replaced.json()
    exercise = Exercise.objects.get(pk=created["id"])
    assert list(exercise.phases.values_list("pk", "order")) == [(crisis_id, 1)]
    assert list(exercise.team_roles.values_list("pk", flat=True)) == [police_id]
    assert list(exercise.injects.values_list("pk", "body")) == [(first_id, "Again.")]


def test_patch_refuses_rows_of_another_exercise(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    mine = api_client.post("/api/v1/exercises/", _payload(), format="json").json()
    other = services.exercise_create(name="Other", planned_minutes=30)
    foreign = Phase.objects.create(exercise=other, order=1, name="Foreign", planned_minutes=30)
    plan = {
        "phases": [{"id": foreign.pk, "order": 1, "name": "Stolen", "planned_minutes": 10}],
        "team_roles": [],
        "injects": [],
    }
    response = api_client.patch(f"/api/v1/exercises/{mine['id']}/", plan, format="json")
    assert response.status_code == 400
    assert response.json()["phases[0].id"] == ["This row is not part of the exercise."]
    foreign.refresh_from_db()
    assert foreign.name == "Foreign"
    assert foreign.exercise_id == other.pk


def test_writes_are_for_coordinators(api_client):
    exercise = services.exercise_create(name="Guarded", planned_minutes=30)
    facilitator = FacilitatorFactory()
    ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(facilitators=[facilitator]))
    stranger = FacilitatorFactory()
    api_client.force_authenticate(facilitator)
    assert api_client.post("/api/v1/exercises/", _payload(), format="json").status_code == 403
    assert api_client.patch(f"/api/v1/exercises/{exercise.pk}/", {"name": "X"}, format="json").status_code == 403
    assert api_client.post(f"/api/v1/exercises/{exercise.pk}/duplicate/", {}, format="json").status_code == 403
    api_client.force_authenticate(stranger)
    assert api_client.patch(f"/api/v1/exercises/{exercise.pk}/", {"name": "X"}, format="json").status_code == 404
    assert api_client.post(f"/api/v1/exercises/{exercise.pk}/duplicate/", {}, format="json").status_code == 404
    api_client.force_authenticate(None)
    assert api_client.post("/api/v1/exercises/", _payload(), format="json").status_code in (401, 403)
    assert Exercise.objects.count() == 1
    assert Exercise.objects.get().name == "Guarded"


def test_duplicate_action_makes_a_variant(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    created = api_client.post("/api/v1/exercises/", _payload(), format="json").json()
    response = api_client.post(
        f"/api/v1/exercises/{created['id']}/duplicate/", {"country": "ro", "name": "Variant RO"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["variant_of"] == created["id"]
    assert body["country"] == "RO"
    assert body["name"] == "Variant RO"
    assert [i["number"] for i in body["injects"]] == [1, 2]
    assert not {i["id"] for i in body["injects"]} & {i["id"] for i in created["injects"]}
    bad = api_client.post(f"/api/v1/exercises/{created['id']}/duplicate/", {"country": "Romania"}, format="json")
    assert bad.status_code == 400
    assert Exercise.objects.count() == 2


# --- course plans -------------------------------------------------------------------------------


def test_course_plan_reads_and_sets_the_order(api_client):
    course = CourseFactory()
    a, b = ExerciseFactory(name="A"), ExerciseFactory(name="B")
    CourseExerciseFactory(course=course, exercise=a, order=1)
    api_client.force_authenticate(CoordinatorFactory())
    url = f"/api/v1/course-plans/{course.pk}/"
    assert [e["exercise"]["name"] for e in api_client.get(url).json()["exercises"]] == ["A"]
    response = api_client.patch(url, {"exercises": [b.pk, a.pk]}, format="json")
    assert response.status_code == 200
    assert [(e["order"], e["exercise"]["name"]) for e in response.json()["exercises"]] == [(1, "B"), (2, "A")]
    twice = api_client.patch(url, {"exercises": [a.pk, a.pk]}, format="json")
    assert twice.status_code == 400
    assert twice.json() == {"exercises[1].exercise": ["“A” is listed twice."]}
    unknown = api_client.patch(url, {"exercises": [999999]}, format="json")
    assert unknown.status_code == 400
    assert "exercises" in unknown.json()
    assert course.course_exercises.count() == 2


def test_course_plan_is_read_by_the_course_staff_and_set_by_coordinators(api_client):
    # Participants of the course read it too: see tests/walk_catalogue.py (this app cannot enrol anyone).
    facilitator = FacilitatorFactory()
    course = CourseFactory()
    CohortFactory(course=course, facilitators=[facilitator])
    CourseExerciseFactory(course=course, order=1)
    url = f"/api/v1/course-plans/{course.pk}/"
    api_client.force_authenticate(facilitator)
    assert api_client.get(url).status_code == 200
    assert api_client.patch(url, {"exercises": []}, format="json").status_code == 403
    assert course.course_exercises.count() == 1
    api_client.force_authenticate(FacilitatorFactory())
    assert api_client.get(url).status_code == 404


def test_course_plan_query_count_does_not_grow(api_client, django_assert_max_num_queries):
    api_client.force_authenticate(CoordinatorFactory())
    small, large = CourseFactory(), CourseFactory()
    CourseExerciseFactory(course=small, order=1)
    for n in range(1, 31):
        CourseExerciseFactory(course=large, order=n)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        assert api_client.get(f"/api/v1/course-plans/{small.pk}/").status_code == 200
    with django_assert_max_num_queries(len(baseline)):
        response = api_client.get(f"/api/v1/course-plans/{large.pk}/")
    assert len(response.json()["exercises"]) == 30


def test_there_is_still_no_put_or_delete(api_client):
    exercise = services.exercise_create(name="Stays", planned_minutes=30)
    api_client.force_authenticate(CoordinatorFactory())
    assert api_client.put(f"/api/v1/exercises/{exercise.pk}/", {"name": "X"}, format="json").status_code == 405
    assert api_client.delete(f"/api/v1/exercises/{exercise.pk}/").status_code == 405
    assert api_client.delete(f"/api/v1/course-plans/{CourseFactory().pk}/").status_code == 405
    assert Exercise.objects.get().name == "Stays"


def test_course_plan_list_shows_visible_courses_in_constant_queries(api_client, django_assert_max_num_queries):
    facilitator = FacilitatorFactory()
    mine = CourseFactory(title="Mine")
    CohortFactory(course=mine, facilitators=[facilitator])
    CourseExerciseFactory(course=mine, order=1)
    CourseFactory(title="Not mine")
    api_client.force_authenticate(facilitator)
    assert [c["title"] for c in api_client.get("/api/v1/course-plans/").json()["results"]] == ["Mine"]

    api_client.force_authenticate(CoordinatorFactory())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        assert api_client.get("/api/v1/course-plans/").status_code == 200
    for _ in range(10):
        course = CourseFactory()
        for n in range(1, 4):
            CourseExerciseFactory(course=course, order=n)
    with django_assert_max_num_queries(len(baseline)):
        response = api_client.get("/api/v1/course-plans/")
    assert response.json()["count"] == 12
