"""The exercise editor: one page per section (the exercise, phases, teams, cell roles, injects), rows added,
moved and removed with buttons that work without JavaScript, and every problem shown before anything is saved."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import services
from exercises.models import Exercise
from exercises.plans import CellRoleInput, ExercisePlan, InjectInput, PhaseInput, TeamRoleInput
from exercises.tests.factories import ExerciseRunFactory
from exercises.tests.test_authoring_views import _plan, _post, form_values
from participants.tests.factories import EnrolmentFactory
from trainings.tests.factories import CohortFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    "exercises:exercise_update",
    "exercises:exercise_edit_phases",
    "exercises:exercise_edit_teams",
    "exercises:exercise_edit_cell_roles",
    "exercises:exercise_edit_injects",
]


@pytest.fixture
def exercise():
    return services.exercise_create(name="Recognising victims", planned_minutes=60, plan=_plan())


@pytest.fixture
def coordinator_client(client):
    client.force_login(CoordinatorFactory())
    return client


def _url(name: str, exercise: Exercise) -> str:
    return reverse(f"exercises:{name}", kwargs={"slug": exercise.slug})


def _phases(exercise: Exercise) -> list[tuple[int, str, int]]:
    return list(exercise.phases.order_by("order").values_list("order", "name", "planned_minutes"))


def _row_index(values: dict, prefix: str, field: str, value: str) -> int:
    return next(i for i in range(50) if values.get(f"{prefix}-{i}-{field}") == [value])


def _titles(html: str) -> list[str]:
    """The rows' summary lines, in the order shown (the empty row's template left out)."""
    html = html[: html.index("<template")]
    return re.findall(r'<span class="editor-row__title" data-editor-title>([^<]*)</span>', html)


# --- who may open which section ------------------------------------------------------------------


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_opens_for_a_coordinator_with_the_sections_navigation(coordinator_client, exercise, name):
    response = coordinator_client.get(reverse(name, kwargs={"slug": exercise.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index('class="editor-tabs"') : html.index("</nav>", html.index('class="editor-tabs"'))]
    # Every section is a link with its count; the current one is marked.
    for other in SECTIONS:
        assert f'href="{reverse(other, kwargs={"slug": exercise.slug})}"' in nav
    assert nav.count('aria-current="page"') == 1
    assert f'href="{reverse(name, kwargs={"slug": exercise.slug})}" aria-current="page"' in nav
    assert '<span class="editor-tabs__count">2</span>' in nav  # two phases, two teams, two injects
    # No blank extra rows and no bare "Delete" label.
    assert "Delete:" not in html
    assert "<label" not in html or ">Delete<" not in html


@pytest.mark.parametrize("name", SECTIONS)
def test_a_facilitator_of_a_run_sees_but_may_not_edit_any_section(client, exercise, name):
    facilitator = FacilitatorFactory()
    ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(facilitators=[facilitator]))
    client.force_login(facilitator)
    url = reverse(name, kwargs={"slug": exercise.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {"phases-TOTAL_FORMS": "0", "name": "Hijack"}).status_code == 403
    exercise.refresh_from_db()
    assert exercise.name == "Recognising victims"
    assert exercise.phases.count() == 2


@pytest.mark.parametrize("name", SECTIONS)
def test_a_participant_does_not_find_the_editor(client, exercise, name):
    enrolment = EnrolmentFactory()
    ExerciseRunFactory(exercise=exercise, cohort=enrolment.cohort)
    client.force_login(enrolment.participant.user)
    url = reverse(name, kwargs={"slug": exercise.slug})
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_the_new_exercise_page_has_its_fields_only_and_leads_to_the_phases(coordinator_client):
    url = reverse("exercises:exercise_create")
    html = coordinator_client.get(url).content.decode()
    assert 'name="phases-TOTAL_FORMS"' not in html
    assert "editor-tabs__later" in html  # the plan's sections come once the exercise exists
    response = coordinator_client.post(
        url, {"name": "Interviewing suspects", "kind": "simulation", "planned_minutes": "45", "language": "en"}
    )
    exercise = Exercise.objects.get(name="Interviewing suspects")
    assert response["Location"] == _url("exercise_edit_phases", exercise)
    assert not exercise.phases.exists()


# --- the exercise's own fields -------------------------------------------------------------------


def test_the_exercise_section_saves_its_fields_and_leaves_the_plan(coordinator_client, exercise):
    url = _url("exercise_update", exercise)
    values = form_values(coordinator_client.get(url))
    values["name"] = ["Recognising victims of trafficking"]
    response = _post(coordinator_client, url, values)
    assert response.status_code == 302
    assert response["Location"] == url
    exercise.refresh_from_db()
    assert exercise.name == "Recognising victims of trafficking"
    assert _phases(exercise) == [(1, "Preparation", 15), (2, "Crisis", 30)]
    assert exercise.injects.count() == 2


def test_the_exercise_section_lists_its_problems_at_the_top_with_links(coordinator_client, exercise):
    url = _url("exercise_update", exercise)
    values = form_values(coordinator_client.get(url))
    values["name"] = [""]
    values["planned_minutes"] = ["0"]
    html = _post(coordinator_client, url, values).content.decode()
    summary = html[html.index('id="editor-errors"') : html.index("</div>", html.index('id="editor-errors"'))]
    assert 'href="#id_name"' in summary
    assert "Nothing was saved" in summary
    exercise.refresh_from_db()
    assert exercise.name == "Recognising victims"


# --- rows: add, move, remove -------------------------------------------------------------------------


def test_add_without_javascript_shows_one_more_row_and_saves_nothing(coordinator_client, exercise):
    url = _url("exercise_edit_phases", exercise)
    values = form_values(coordinator_client.get(url))
    assert values["phases-TOTAL_FORMS"] == ["2"]
    values["editor-action"] = ["add"]
    response = _post(coordinator_client, url, values)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your changes are not saved yet" in html
    assert "Nothing was saved" not in html  # the new row is empty, not wrong
    after = form_values(response)
    assert after["phases-TOTAL_FORMS"] == ["3"]
    assert after["phases-2-order"] == ["3"]  # the next number
    assert exercise.phases.count() == 2
    # Saved untouched, the added row is ignored; filled in, it is a new phase.
    assert _post(coordinator_client, url, after).status_code == 302
    assert exercise.phases.count() == 2
    after.update({"phases-2-name": ["Debriefing"], "phases-2-planned_minutes": ["15"], "phases-2-kind": ["debriefing"]})
    assert _post(coordinator_client, url, after).status_code == 302
    assert _phases(exercise) == [(1, "Preparation", 15), (2, "Crisis", 30), (3, "Debriefing", 15)]


def test_move_up_without_javascript_renumbers_and_the_injects_follow_their_phase(coordinator_client, exercise):
    url = _url("exercise_edit_phases", exercise)
    values = form_values(coordinator_client.get(url))
    crisis = _row_index(values, "phases", "name", "Crisis")
    values["editor-action"] = [f"up-{crisis}"]
    preview = _post(coordinator_client, url, values)
    assert preview.status_code == 200
    assert _titles(preview.content.decode()) == ["Phase 1: Crisis", "Phase 2: Preparation"]
    # Without JavaScript the page comes back with the keyboard on the moved row's button.
    assert f'value="up-{crisis}" class="editor-tool editor-tool--up" data-editor-move="up" autofocus' in (
        preview.content.decode()
    )
    assert _phases(exercise)[0][1] == "Preparation"  # not saved yet
    response = _post(coordinator_client, url, form_values(preview))
    assert response.status_code == 302
    assert _phases(exercise) == [(1, "Crisis", 30), (2, "Preparation", 15)]
    # The injects of the crisis phase (saved on another page) are still in it, now phase 1.
    assert {i.phase.name for i in exercise.injects.all()} == {"Crisis"}


@pytest.mark.parametrize("action", ["up-0", "down-1", "up-999", "sideways-1", "down-x"])
def test_a_move_past_the_ends_or_an_odd_action_changes_nothing(coordinator_client, exercise, action):
    url = _url("exercise_edit_phases", exercise)
    values = form_values(coordinator_client.get(url))
    values["editor-action"] = [action]
    response = _post(coordinator_client, url, values)
    if action in ("sideways-1", "down-x"):  # an unknown action saves the page, unchanged
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert _titles(response.content.decode()) == ["Phase 1: Preparation", "Phase 2: Crisis"]
    assert _phases(exercise) == [(1, "Preparation", 15), (2, "Crisis", 30)]


def test_remove_marks_a_row_and_saving_removes_it(coordinator_client, exercise):
    url = _url("exercise_edit_teams", exercise)
    values = form_values(coordinator_client.get(url))
    ngo = _row_index(values, "teams", "name", "NGO")
    values[f"teams-{ngo}-DELETE"] = ["on"]
    assert _post(coordinator_client, url, values).status_code == 302
    assert list(exercise.team_roles.values_list("name", flat=True)) == ["Police"]
    # Inject 1 still targets the police team.
    assert list(exercise.injects.get(number=1).target_roles.values_list("name", flat=True)) == ["Police"]


def test_a_removed_row_shows_as_removed_until_saved(coordinator_client, exercise):
    url = _url("exercise_edit_phases", exercise)
    values = form_values(coordinator_client.get(url))
    values["phases-0-DELETE"] = ["on"]
    values["editor-action"] = ["add"]
    html = _post(coordinator_client, url, values).content.decode()
    assert 'name="phases-0-DELETE" id="id_phases-0-DELETE" checked' in html
    assert "Will be removed when you save." in html
    assert exercise.phases.count() == 2


def test_renumbered_teams_keep_the_injects_targets(coordinator_client, exercise):
    url = _url("exercise_edit_teams", exercise)
    values = form_values(coordinator_client.get(url))
    ngo = _row_index(values, "teams", "name", "NGO")
    values["editor-action"] = [f"up-{ngo}"]
    response = _post(coordinator_client, url, form_values(_post(coordinator_client, url, values)))
    assert response.status_code == 302
    assert list(exercise.team_roles.order_by("number").values_list("name", flat=True)) == ["NGO", "Police"]
    assert list(exercise.injects.get(number=1).target_roles.values_list("number", "name")) == [(2, "Police")]


def test_an_inject_is_added_on_its_own_page(coordinator_client, exercise):
    objective = LearningObjectiveFactory(code="identify")
    url = _url("exercise_edit_injects", exercise)
    values = form_values(coordinator_client.get(url))
    values["editor-action"] = ["add"]
    values = form_values(_post(coordinator_client, url, values))
    values.update(
        {
            "injects-2-phase_number": ["1"],
            "injects-2-minute_offset": ["5"],
            "injects-2-target_teams": ["2;1"],
            "injects-2-title": ["Inspection"],
            "injects-2-body": ["Inspectors arrive."],
            "injects-2-objectives": [str(objective.pk)],
        }
    )
    response = _post(coordinator_client, url, values)
    assert response.status_code == 302, response.content.decode()[:2000]
    inject = exercise.injects.get(number=3)
    assert (inject.title, inject.phase.name, inject.minute_offset) == ("Inspection", "Preparation", 5)
    assert sorted(inject.target_roles.values_list("number", flat=True)) == [1, 2]
    assert list(inject.learning_objectives.all()) == [objective]
    assert _phases(exercise) == [(1, "Preparation", 15), (2, "Crisis", 30)]


def test_a_renamed_cell_role_follows_into_the_injects_it_delivers(coordinator_client):
    plan = _plan()
    plan.cell_roles = [CellRoleInput(name="The embassy")]
    plan.injects[0].delivered_by = "The embassy"
    exercise = services.exercise_create(name="Cells", planned_minutes=60, plan=plan)
    url = _url("exercise_edit_cell_roles", exercise)
    values = form_values(coordinator_client.get(url))
    values["cells-0-name"] = ["The consulate"]
    values["editor-action"] = ["add"]  # an added, untouched row on the way is ignored
    response = _post(coordinator_client, url, form_values(_post(coordinator_client, url, values)))
    assert response.status_code == 302
    assert list(exercise.cell_roles.values_list("name", flat=True)) == ["The consulate"]
    assert exercise.injects.get(number=1).delivered_by.name == "The consulate"


# --- problems: shown at the top and in place; nothing saved ------------------------------------------


def test_a_field_problem_is_summarised_at_the_top_and_shown_in_its_open_row(coordinator_client, exercise):
    url = _url("exercise_edit_phases", exercise)
    values = form_values(coordinator_client.get(url))
    crisis = _row_index(values, "phases", "name", "Crisis")
    values[f"phases-{crisis}-name"] = [""]
    values["phases-0-planned_minutes"] = ["20"]
    response = _post(coordinator_client, url, values)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('id="editor-errors"') : html.index("</div>", html.index('id="editor-errors"'))]
    assert f'href="#id_phases-{crisis}-name"' in summary
    assert "This field is required." in summary
    row = html[html.index(f'id="phases-{crisis}-row"') :]
    assert row.index('<details class="editor-row__details" open>') < row.index("This field is required.")
    assert _phases(exercise) == [(1, "Preparation", 15), (2, "Crisis", 30)]


def test_a_problem_in_another_section_is_named_and_linked_and_nothing_is_saved(coordinator_client, exercise):
    url = _url("exercise_edit_phases", exercise)
    values = form_values(coordinator_client.get(url))
    crisis = _row_index(values, "phases", "name", "Crisis")
    values[f"phases-{crisis}-planned_minutes"] = ["10"]  # inject 2 at minute 20 no longer fits
    values["phases-0-name"] = ["Getting ready"]
    response = _post(coordinator_client, url, values)
    assert response.status_code == 200
    html = response.content.decode()
    injects_url = _url("exercise_edit_injects", exercise)
    assert (
        f'<a href="{injects_url}">Inject 2: The offset must fall inside the phase “Crisis”: 0 to 9 minutes.</a>' in html
    )
    assert _phases(exercise) == [(1, "Preparation", 15), (2, "Crisis", 30)]


def test_numbering_problems_are_explained_on_the_section(coordinator_client, exercise):
    url = _url("exercise_edit_teams", exercise)
    values = form_values(coordinator_client.get(url))
    values["teams-1-number"] = ["1"]
    html = _post(coordinator_client, url, values).content.decode()
    assert "Number 1 is used twice." in html
    assert list(exercise.team_roles.values_list("number", flat=True)) == [1, 2]


def test_an_inject_circle_and_bad_team_numbers_are_refused(coordinator_client, exercise):
    url = _url("exercise_edit_injects", exercise)
    values = form_values(coordinator_client.get(url))
    first = _row_index(values, "injects", "number", "1")
    values[f"injects-{first}-depends_on_number"] = ["2"]
    html = _post(coordinator_client, url, values).content.decode()
    assert "Injects 1 → 2 → 1 depend on each other in a circle." in html
    values[f"injects-{first}-depends_on_number"] = [""]
    values[f"injects-{first}-target_teams"] = ["one, two"]
    assert "Write team numbers separated by" in _post(coordinator_client, url, values).content.decode()
    values[f"injects-{first}-target_teams"] = ["1;9"]
    assert "There is no team number 9." in _post(coordinator_client, url, values).content.decode()
    inject = exercise.injects.get(number=1)
    assert inject.depends_on is None
    assert list(inject.target_roles.values_list("number", flat=True)) == [1]


def test_the_injects_page_query_count_does_not_grow_with_the_plan(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    small = services.exercise_create(name="Small", planned_minutes=60, plan=_plan())
    objectives = [LearningObjectiveFactory() for _ in range(5)]
    big_plan = ExercisePlan(
        phases=[PhaseInput(order=n, name=f"P{n}", planned_minutes=60) for n in range(1, 11)],
        team_roles=[TeamRoleInput(number=n, name=f"T{n}", agency_kind="police") for n in range(1, 11)],
        injects=[
            InjectInput(
                number=n,
                title=f"I{n}",
                body="b",
                phase=1 + n % 10,
                minute_offset=n,
                target_teams=[1, 2, 3],
                learning_objectives=objectives,
                depends_on=n - 1 if n > 1 else None,
            )
            for n in range(1, 41)
        ],
    )
    big = services.exercise_create(name="Big", planned_minutes=600, plan=big_plan)
    for name in ("exercise_edit_injects", "exercise_edit_phases", "exercise_edit_teams"):
        with CaptureQueriesContext(connection) as small_queries:
            assert client.get(_url(name, small)).status_code == 200
        with django_assert_max_num_queries(len(small_queries)):
            assert client.get(_url(name, big)).status_code == 200
