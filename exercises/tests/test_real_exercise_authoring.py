"""Authoring a real exercise (#8): mixed teams with positions, the cell's roles and the cell role that
delivers an inject, through the services, the plan form, the API and the master events list."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory
from core.exceptions import ApplicationError
from exercises import services
from exercises.mel.export import mel_export
from exercises.models import CellRole, Exercise, TeamPosition, TeamRole
from exercises.plans import CellRoleInput, PositionInput, TeamRoleInput
from exercises.tests.factories import CourseExerciseFactory
from exercises.tests.mel.files import GOOD, mel_csv
from exercises.tests.plan_examples import example_plan
from exercises.tests.test_authoring_views import _post, form_values
from trainings.models import AgencyKind
from trainings.tests.factories import LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _national(**kwargs) -> TeamRoleInput:
    values = {
        "number": 3,
        "name": "National team",
        "agency_kind": "",
        "mixed": True,
        "planned_size": 4,
        "positions": [
            PositionInput(name="Investigator", agency_kind=AgencyKind.POLICE, seats=2),
            PositionInput(name="Labour inspector", agency_kind=AgencyKind.LABOUR_INSPECTION),
        ],
    }
    values.update(kwargs)
    return TeamRoleInput(**values)


def _plan():
    plan = example_plan()
    plan.team_roles.append(_national())
    plan.cell_roles = [CellRoleInput(name="The embassy", description="Consular staff"), CellRoleInput(name="The media")]
    plan.injects[0].delivered_by = "the embassy"
    return plan


@pytest.fixture
def exercise() -> Exercise:
    return services.exercise_create(name="Two-day national exercise", planned_minutes=120, plan=_plan())


def _positions(exercise: Exercise) -> list[tuple]:
    return [
        (p.team_role.number, p.order, p.name, p.agency_kind, p.seats)
        for p in TeamPosition.objects.filter(team_role__exercise=exercise).select_related("team_role")
    ]


def test_create_saves_mixed_teams_positions_cell_roles_and_who_delivers(exercise):
    national = exercise.team_roles.get(number=3)
    assert (national.mixed, national.agency_kind, national.planned_size) == (True, "", 4)
    assert _positions(exercise) == [
        (3, 1, "Investigator", "police", 2),
        (3, 2, "Labour inspector", "labour_inspection", 1),
    ]
    assert [(c.name, c.description) for c in exercise.cell_roles.all()] == [
        ("The embassy", "Consular staff"),
        ("The media", ""),
    ]
    assert exercise.injects.get(number=1).delivered_by.name == "The embassy"


def test_a_refused_plan_saves_nothing():
    plan = _plan()
    plan.team_roles[2].agency_kind = AgencyKind.POLICE
    with pytest.raises(ApplicationError) as excinfo:
        services.exercise_create(name="Refused", planned_minutes=60, plan=plan)
    assert "team_roles[2].agency_kind" in excinfo.value.message_dict
    assert not Exercise.objects.exists()
    assert not CellRole.objects.exists()


def test_update_keeps_positions_and_cell_roles_left_out_and_renames_in_place(exercise):
    plan = services.exercise_plan_of(exercise=exercise)
    embassy = exercise.cell_roles.get(name="The embassy")
    investigator = TeamPosition.objects.get(name="Investigator")
    plan.team_roles[2].positions = None
    plan.cell_roles = None
    services.exercise_update(exercise=exercise, data={}, plan=plan)
    assert len(_positions(exercise)) == 2
    assert exercise.cell_roles.count() == 2

    plan = services.exercise_plan_of(exercise=exercise)
    assert plan.cell_roles is not None
    plan.cell_roles[0].name = "The consulate"  # the embassy, renamed
    plan.injects[0].delivered_by = "The consulate"
    plan.team_roles[2].positions = [PositionInput(name="investigator", agency_kind=AgencyKind.POLICE, seats=1)]
    services.exercise_update(exercise=exercise, data={}, plan=plan)
    assert exercise.cell_roles.get(pk=embassy.pk).name == "The consulate"
    assert exercise.injects.get(number=1).delivered_by_id == embassy.pk
    assert _positions(exercise) == [(3, 1, "investigator", "police", 1)]
    assert TeamPosition.objects.get().pk == investigator.pk


def test_a_variant_copies_positions_cell_roles_and_who_delivers(exercise):
    variant = services.exercise_duplicate(exercise=exercise, country="pl")
    assert _positions(variant) == _positions(exercise)
    assert [c.name for c in variant.cell_roles.all()] == ["The embassy", "The media"]
    delivered_by = variant.injects.get(number=1).delivered_by
    assert delivered_by.exercise == variant
    assert delivered_by.name == "The embassy"
    assert CellRole.objects.count() == 4


def test_the_editor_edits_positions_and_cell_roles(client, exercise):
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:exercise_edit_teams", kwargs={"slug": exercise.slug})
    page = client.get(url)
    assert "Investigator: police: 2" in page.content.decode()
    values = form_values(page)
    national = next(i for i in range(10) if values.get(f"teams-{i}-number") == ["3"])
    values[f"teams-{national}-positions"] = ["Investigator: police: 2\nSocial worker: social_services"]
    response = _post(client, url, values)
    assert response.status_code == 302, response.content.decode()
    assert [p[2] for p in _positions(exercise)] == ["Investigator", "Social worker"]
    # Saving the teams kept the cell roles and who delivers each inject.
    assert exercise.cell_roles.count() == 2
    assert exercise.injects.get(number=1).delivered_by.name == "The embassy"

    url = reverse("exercises:exercise_edit_cell_roles", kwargs={"slug": exercise.slug})
    page = client.get(url)
    assert "The simulation cell&#x27;s roles" in page.content.decode() or "Cell roles" in page.content.decode()
    values = form_values(page)
    cell = next(i for i in range(5) if values.get(f"cells-{i}-name") == ["The embassy"])
    values[f"cells-{cell}-name"] = ["The consulate"]
    response = _post(client, url, values)
    assert response.status_code == 302, response.content.decode()
    # The inject's cell role followed its rename without being touched.
    assert exercise.injects.get(number=1).delivered_by.name == "The consulate"


def test_the_editor_shows_a_problem_next_to_the_positions(client, exercise):
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:exercise_edit_teams", kwargs={"slug": exercise.slug})
    values = form_values(client.get(url))
    national = next(i for i in range(10) if values.get(f"teams-{i}-number") == ["3"])
    values[f"teams-{national}-positions"] = ["Investigator: police: 5"]
    response = _post(client, url, values)
    assert response.status_code == 200
    assert "The positions have 5 seats, more than the team&#x27;s planned size of 4." in response.content.decode()
    assert _positions(exercise)[0][4] == 2


def _api_payload() -> dict:
    return {
        "name": "National exercise",
        "planned_minutes": 60,
        "phases": [{"order": 1, "name": "Play", "planned_minutes": 60}],
        "team_roles": [
            {"number": 1, "name": "Police", "agency_kind": "police"},
            {
                "number": 2,
                "name": "National team",
                "mixed": True,
                "planned_size": 3,
                "positions": [{"name": "Investigator", "agency_kind": "police", "seats": 2}],
            },
        ],
        "cell_roles": [{"name": "The media"}],
        "injects": [{"number": 1, "title": "Journalist calls", "body": "Ring.", "delivered_by": "The media"}],
    }


def test_the_api_writes_and_shows_mixed_teams_and_cell_roles(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    response = api_client.post("/api/v1/exercises/", _api_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    national = body["team_roles"][1]
    assert (national["mixed"], national["agency_kind"], national["planned_size"]) == (True, "", 3)
    assert [(p["name"], p["agency_kind"], p["seats"]) for p in national["positions"]] == [("Investigator", "police", 2)]
    media = body["cell_roles"][0]
    assert media["name"] == "The media"
    assert body["injects"][0]["delivered_by"] == media["id"]
    assert body["injects"][0]["attachments"] == []

    # A PATCH of the plan without cell_roles or positions keeps them.
    plan = {k: _api_payload()[k] for k in ("phases", "team_roles", "injects")}
    plan["team_roles"][0]["id"] = body["team_roles"][0]["id"]
    plan["team_roles"][1] = {**plan["team_roles"][1], "id": national["id"]}
    del plan["team_roles"][1]["positions"]
    patched = api_client.patch(f"/api/v1/exercises/{body['id']}/", plan, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["cell_roles"] == body["cell_roles"]
    assert patched.json()["team_roles"][1]["positions"] == national["positions"]


def test_the_api_refuses_a_mixed_team_with_an_agency_kind_keyed_by_row(api_client):
    api_client.force_authenticate(CoordinatorFactory())
    payload = _api_payload()
    payload["team_roles"][1]["agency_kind"] = "police"
    payload["injects"][0]["delivered_by"] = "The embassy"
    response = api_client.post("/api/v1/exercises/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["team_roles[1].agency_kind"] == [
        "A mixed team has no agency kind of its own: leave it empty and name its positions."
    ]
    assert response.json()["injects[0].delivered_by"] == ["There is no cell role named “The embassy”."]
    assert not Exercise.objects.exists()


def test_cell_roles_alone_are_refused_on_patch(api_client, exercise):
    api_client.force_authenticate(CoordinatorFactory())
    response = api_client.patch(f"/api/v1/exercises/{exercise.pk}/", {"cell_roles": []}, format="json")
    assert response.status_code == 400
    assert exercise.cell_roles.count() == 2


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_mel_round_trips_mixed_teams_cell_roles_and_who_delivers(exercise):
    exported = mel_export(exercise=exercise, fmt="csv")
    rows = _rows(exported)
    national = next(r for r in rows if r["Record"] == "team" and r["Number"] == "3")
    assert (national["Mixed"], national["Agency kind"], national["Planned size"]) == ("yes", "", "4")
    assert national["Positions"] == "Investigator: police: 2\nLabour inspector: labour_inspection"
    assert [(r["Name"], r["Description"]) for r in rows if r["Record"] == "cell"] == [
        ("The embassy", "Consular staff"),
        ("The media", ""),
    ]
    assert next(r for r in rows if r["Record"] == "inject" and r["Number"] == "1")["Sender"] == "The embassy"

    copy = services.exercise_mel_import(content=exported, filename="copy.csv").exercise
    assert _positions(copy) == _positions(exercise)
    assert [c.name for c in copy.cell_roles.all()] == ["The embassy", "The media"]
    first = copy.injects.get(number=1)
    assert (first.delivered_by.name, first.sender) == ("The embassy", "")


def test_an_older_mel_without_the_new_columns_still_imports():
    LearningObjectiveFactory(code="identify")
    from exercises.mel.format import COLUMNS, HEADERS

    new = {"mixed", "planned_size", "positions", "description", "attachments"}
    old_keys = [key for key, _header in COLUMNS if key not in new]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[HEADERS[k] for k in old_keys])
    writer.writeheader()
    for row in GOOD:
        writer.writerow({HEADERS[k]: v for k, v in row.items()})
    result = services.exercise_mel_import(content=buffer.getvalue().encode(), filename="old.csv")
    assert result.warnings == []
    assert [(r.mixed, r.planned_size) for r in result.exercise.team_roles.all()] == [(False, None), (False, None)]
    assert result.exercise.cell_roles.count() == 0


def test_an_old_style_file_replacing_a_plan_keeps_positions_and_cell_roles(exercise):
    rows = _rows(mel_export(exercise=exercise, fmt="csv"))
    columns = [c for c in rows[0] if c not in ("Positions", "Description")]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(r for r in rows if r["Record"] != "cell")
    services.exercise_mel_import(content=buffer.getvalue().encode(), filename="plan.csv", exercise=exercise)
    assert len(_positions(exercise)) == 2
    assert exercise.cell_roles.count() == 2
    # The Sender still names the embassy: it stays the inject's cell role.
    assert exercise.injects.get(number=1).delivered_by.name == "The embassy"


def test_a_mel_sender_that_names_a_cell_role_becomes_it_and_others_stay_free_text():
    LearningObjectiveFactory(code="identify")
    rows = [dict(r) for r in GOOD]
    rows.insert(4, {"record": "cell", "name": "The media"})
    inject = next(r for r in rows if r["record"] == "inject")
    inject["sender"] = "THE MEDIA"
    exercise = services.exercise_mel_import(content=mel_csv(rows), filename="cells.csv").exercise
    first = exercise.injects.order_by("number").first()
    assert (first.delivered_by.name, first.sender) == ("The media", "")
    assert exercise.injects.exclude(pk=first.pk).filter(delivered_by__isnull=False).count() == 0


def test_coverage_never_flags_the_cell_roles(exercise, coordinator):
    from exercises.coverage import course_coverage

    link = CourseExerciseFactory(exercise=exercise)
    coverage = course_coverage(course=link.course, user=coordinator)
    flagged = [role for check in coverage.crisis_checks for role in check.teams_without_inject]
    assert all(isinstance(role, TeamRole) for role in flagged)
    assert {role.name for role in flagged} <= {"Police", "NGO", "National team"}
