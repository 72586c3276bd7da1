"""Observations on the console, the edit page and /api/v1/observations/: wiring, permissions, query counts."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct.models import Observation
from conduct.tests.factories import ObservationFactory
from conduct.tests.helpers import clock_run
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamRoleFactory
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/observations/"


def _console(run) -> str:
    return reverse("conduct:run_console", kwargs={"pk": run.pk})


def _edit(note) -> str:
    return reverse("conduct:observation_edit", kwargs={"pk": note.run_id, "observation_pk": note.pk})


def test_a_quick_observation_is_saved_at_once_and_listed_newest_first_with_an_edit_link_for_ones_own(client):
    run, _phases, by = clock_run()
    team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise))
    colleague = FacilitatorFactory()
    run.cohort.facilitators.add(colleague)
    theirs = ObservationFactory(run=run, author=colleague, text="THEIR-NOTE")
    client.force_login(by)

    answer = client.post(_console(run), {"action": "observe", "team": team.pk, "rating": "4", "text": "MY-NOTE"})

    assert answer.status_code == 302
    mine = Observation.objects.get(text="MY-NOTE")
    assert (mine.author, mine.team, mine.rating, mine.shareable) == (by, team, 4, False)
    page = client.get(_console(run)).text
    assert page.index("MY-NOTE") < page.index("THEIR-NOTE")
    assert "Before the start" in page  # grouped by the phase they were recorded in
    assert _edit(mine) in page
    assert _edit(theirs) not in page


def test_a_refused_observation_keeps_the_typed_note_with_the_error_and_saves_nothing(client):
    run, _phases, by = clock_run()
    elsewhere = ExerciseRunFactory()
    foreign = RunTeamFactory(run=elsewhere, team_role=TeamRoleFactory(exercise=elsewhere.exercise))
    client.force_login(by)
    answer = client.post(_console(run), {"action": "observe", "team": foreign.pk, "rating": "7", "text": "KEEP-ME"})
    assert answer.status_code == 400
    assert "KEEP-ME" in answer.text
    assert answer.context["form"].errors.keys() >= {"team", "rating"}
    assert not Observation.objects.exists()


def test_the_author_edits_on_the_edit_page_and_others_get_403_or_404(client):
    run, _phases, by = clock_run()
    note = ObservationFactory(run=run, author=by, text="Before.")
    client.force_login(by)
    assert client.get(_edit(note)).status_code == 200
    answer = client.post(_edit(note), {"text": "After.", "rating": "5", "shareable": "on"})
    assert answer.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.rating, note.shareable) == ("After.", 5, True)

    client.force_login(CoordinatorFactory())
    assert client.get(_edit(note)).status_code == 403
    assert client.post(_edit(note), {"text": "Coordinator's."}).status_code == 403
    client.force_login(EnrolmentFactory(cohort=run.cohort).participant.user)
    assert client.get(_edit(note)).status_code == 404
    wrong_run = reverse("conduct:observation_edit", kwargs={"pk": ExerciseRunFactory().pk, "observation_pk": note.pk})
    client.force_login(by)
    assert client.get(wrong_run).status_code == 404
    note.refresh_from_db()
    assert note.text == "After."


def test_participants_never_see_an_observation(client, api_client):
    run, _phases, by = clock_run()
    note = ObservationFactory(run=run, author=by, text="SECRET-NOTE", shareable=True)
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    client.force_login(participant)
    assert client.get(_console(run)).status_code == 403
    assert client.get(_edit(note)).status_code == 404
    api_client.force_authenticate(participant)
    assert api_client.get(API).json()["results"] == []
    assert api_client.get(f"{API}?run={run.pk}").json()["results"] == []
    assert api_client.get(f"{API}{note.pk}/").status_code == 404
    assert api_client.post(API, {"run": run.pk, "text": "Mine."}, format="json").status_code == 400
    assert api_client.patch(f"{API}{note.pk}/", {"text": "X"}, format="json").status_code == 404
    assert Observation.objects.get().text == "SECRET-NOTE"


def test_the_api_records_lists_by_run_and_patches_ones_own(api_client):
    run, _phases, by = clock_run()
    team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise))
    ObservationFactory(run=ExerciseRunFactory(cohort=run.cohort), author=by)
    api_client.force_authenticate(by)

    made = api_client.post(API, {"run": run.pk, "team": team.pk, "rating": 3, "text": "Fast."}, format="json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["team"], body["rating"], body["shareable"], body["phase"]) == (team.pk, 3, False, None)

    listed = api_client.get(f"{API}?run={run.pk}").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    changed = api_client.patch(f"{API}{body['id']}/", {"shareable": True}, format="json")
    assert changed.status_code == 200
    assert changed.json()["shareable"] is True
    assert changed.json()["text"] == "Fast."
    assert api_client.delete(f"{API}{body['id']}/").status_code in (403, 405)  # no DELETE
    assert Observation.objects.filter(pk=body["id"]).exists()


def test_api_refusals_answer_the_error_shape_and_change_nothing(api_client):
    run, _phases, by = clock_run()
    note = ObservationFactory(run=run, author=by, text="Kept.")
    api_client.force_authenticate(by)
    answer = api_client.post(API, {"run": run.pk, "rating": 9, "text": "x"}, format="json")
    assert answer.status_code == 400
    assert "rating" in str(answer.json())
    assert api_client.post(API, {"run": run.pk, "text": ""}, format="json").status_code == 400
    elsewhere = ExerciseRunFactory()
    assert api_client.post(API, {"run": elsewhere.pk, "text": "x"}, format="json").status_code == 400
    api_client.force_authenticate(CoordinatorFactory())
    assert api_client.get(f"{API}{note.pk}/").status_code == 200
    assert api_client.patch(f"{API}{note.pk}/", {"text": "Mine."}, format="json").status_code == 403
    assert Observation.objects.count() == 1
    assert Observation.objects.get().text == "Kept."


@pytest.mark.parametrize("count", [1, 50])
def test_the_console_and_the_list_endpoint_take_constant_queries(
    client, api_client, count, django_assert_max_num_queries
):
    run, _phases, by = clock_run()
    team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise))
    ObservationFactory.create_batch(count, run=run, author=by, team=team)
    client.force_login(by)
    api_client.force_authenticate(by)
    with django_assert_max_num_queries(20):
        assert client.get(_console(run)).status_code == 200
    with django_assert_max_num_queries(8):
        assert len(api_client.get(f"{API}?run={run.pk}&page_size=100").json()["results"]) >= 1
