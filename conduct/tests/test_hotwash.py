"""The hot-wash board: its services' checks, its pages, and /api/v1/hotwash-items/."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct import selectors, services
from conduct.models import HotwashItem
from conduct.tests.factories import HotwashItemFactory
from conduct.tests.helpers import clock_run
from core.exceptions import ApplicationError
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamRoleFactory
from participants.tests.factories import EnrolmentFactory
from trainings.models import AgencyKind
from trainings.tests.factories import LearningObjectiveFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/hotwash-items/"


def _board(run) -> str:
    return reverse("conduct:run_hotwash", kwargs={"pk": run.pk})


def _edit(item) -> str:
    return reverse("conduct:hotwash_edit", kwargs={"pk": item.run_id, "item_pk": item.pk})


def _team(run):
    return RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise))


def test_a_facilitator_writes_a_point_tagged_to_a_team_or_an_agency_kind_and_an_objective():
    run, _phases, by = clock_run()
    team = _team(run)
    objective = LearningObjectiveFactory()
    run.exercise.learning_objectives.add(objective)
    strength = services.hotwash_item_create(
        run=run, by=by, kind="strength", text="  Early call to labour inspection. ", team=team, objective=objective
    )
    improvement = services.hotwash_item_create(
        run=run, by=by, kind="improvement", text="Shared the list late.", agency_kind=AgencyKind.BORDER_GUARD
    )
    assert (strength.text, strength.team, strength.objective, strength.author) == (
        "Early call to labour inspection.",
        team,
        objective,
        by,
    )
    assert (improvement.agency_kind, improvement.team) == ("border_guard", None)
    # Strengths first, whatever the order written.
    assert selectors.run_hotwash_list(run=run, user=by) == [strength, improvement]


def test_every_refusal_at_once_and_nothing_written():
    run, _phases, by = clock_run()
    elsewhere = ExerciseRunFactory()
    with pytest.raises(ApplicationError) as refused:
        services.hotwash_item_create(
            run=run,
            by=by,
            kind="praise",
            text="  ",
            team=_team(elsewhere),
            objective=LearningObjectiveFactory(),  # neither the exercise's nor the course's
        )
    assert set(refused.value.as_dict()) == {"kind", "text", "team", "objective"}
    with pytest.raises(ApplicationError) as both:
        services.hotwash_item_create(
            run=run, by=by, kind="strength", text="x", team=_team(run), agency_kind=AgencyKind.POLICE
        )
    assert set(both.value.as_dict()) == {"agency_kind"}
    with pytest.raises(ApplicationError) as unknown:
        services.hotwash_item_create(run=run, by=by, kind="strength", text="x", agency_kind="army")
    assert set(unknown.value.as_dict()) == {"agency_kind"}
    with pytest.raises(ApplicationError):
        services.hotwash_item_create(run=run, by=by, kind="strength", text="x" * (services.HOTWASH_MAX_LENGTH + 1))
    assert not HotwashItem.objects.exists()


def test_only_the_runs_staff_write_and_only_authors_change_or_remove():
    run, _phases, by = clock_run()
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    for outsider in (participant, FacilitatorFactory()):
        with pytest.raises(ApplicationError):
            services.hotwash_item_create(run=run, by=outsider, kind="strength", text="x")
    coordinator = CoordinatorFactory()
    item = services.hotwash_item_create(run=run, by=coordinator, kind="strength", text="Coordinator's.")
    with pytest.raises(ApplicationError):
        services.hotwash_item_update(item=item, by=by, data={"text": "Changed by a colleague."})
    with pytest.raises(ApplicationError):
        services.hotwash_item_delete(item=item, by=by)
    with pytest.raises(ApplicationError) as unknown_field:
        services.hotwash_item_update(item=item, by=coordinator, data={"run": ExerciseRunFactory()})
    assert "run" in str(unknown_field.value)
    changed = services.hotwash_item_update(item=item, by=coordinator, data={"kind": "improvement"})
    assert (changed.kind, changed.text) == ("improvement", "Coordinator's.")
    services.hotwash_item_delete(item=item, by=coordinator)
    services.hotwash_item_delete(item=item, by=coordinator)  # a second press: already gone, nothing to do
    assert not HotwashItem.objects.exists()


def test_a_facilitator_who_left_the_runs_staff_can_no_longer_change_their_point():
    run, _phases, by = clock_run()
    item = HotwashItemFactory(run=run, author=by)
    run.cohort.facilitators.remove(by)
    fresh = type(by).objects.get(pk=by.pk)  # cohort access is cached on the user object
    with pytest.raises(ApplicationError):
        services.hotwash_item_update(item=item, by=fresh, data={"text": "Late change."})


def test_the_board_page_adds_lists_grouped_and_removes_ones_own(client):
    run, _phases, by = clock_run()
    team = _team(run)
    colleague = FacilitatorFactory()
    run.cohort.facilitators.add(colleague)
    theirs = HotwashItemFactory(run=run, author=colleague, kind="improvement", text="THEIR-POINT")
    client.force_login(by)
    answer = client.post(_board(run), {"kind": "strength", "text": "MY-POINT", "team": team.pk})
    assert answer.status_code == 302
    mine = HotwashItem.objects.get(text="MY-POINT")
    page = client.get(_board(run)).text.split('id="board-heading"')[1]  # the board, not the form's choices
    assert page.index("Strength") < page.index("MY-POINT") < page.index("Area for improvement")
    assert page.index("Area for improvement") < page.index("THEIR-POINT")
    assert _edit(mine) in page
    assert _edit(theirs) not in page
    # A colleague's point stays: the service refuses, the page says so.
    client.post(_board(run), {"delete": theirs.pk})
    assert HotwashItem.objects.filter(pk=theirs.pk).exists()
    assert client.post(_board(run), {"delete": mine.pk}).status_code == 302
    assert not HotwashItem.objects.filter(pk=mine.pk).exists()


def test_a_refused_point_keeps_the_typed_text_with_the_error(client):
    run, _phases, by = clock_run()
    client.force_login(by)
    answer = client.post(
        _board(run), {"kind": "strength", "text": "KEEP-ME", "team": _team(run).pk, "agency_kind": "police"}
    )
    assert answer.status_code == 400
    assert "KEEP-ME" in answer.text
    assert "not both" in answer.text
    assert not HotwashItem.objects.exists()


def test_the_author_edits_on_the_edit_page_and_others_get_403_or_404(client):
    run, _phases, by = clock_run()
    item = HotwashItemFactory(run=run, author=by, text="Before.")
    client.force_login(by)
    assert client.get(_edit(item)).status_code == 200
    assert client.post(_edit(item), {"kind": "improvement", "text": "After."}).status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.text) == ("improvement", "After.")
    client.force_login(CoordinatorFactory())
    assert client.get(_edit(item)).status_code == 403
    assert client.post(_edit(item), {"kind": "strength", "text": "Coordinator's."}).status_code == 403
    client.force_login(EnrolmentFactory(cohort=run.cohort).participant.user)
    assert client.get(_edit(item)).status_code == 404
    other_run = reverse("conduct:hotwash_edit", kwargs={"pk": ExerciseRunFactory().pk, "item_pk": item.pk})
    client.force_login(by)
    assert client.get(other_run).status_code == 404
    item.refresh_from_db()
    assert item.text == "After."


def test_the_api_lists_by_run_creates_patches_and_deletes_ones_own(api_client, django_assert_max_num_queries):
    run, _phases, by = clock_run()
    team = _team(run)
    HotwashItemFactory.create_batch(3, run=run, author=by, team=team)
    HotwashItemFactory(run=ExerciseRunFactory(), text="OTHER-RUN")
    api_client.force_authenticate(by)
    with django_assert_max_num_queries(6):
        listed = api_client.get(API, {"run": run.pk})
    assert listed.status_code == 200
    assert len(listed.json()["results"]) == 3
    created = api_client.post(
        API, {"run": run.pk, "kind": "improvement", "text": "Late.", "agency_kind": "police"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["agency_kind"], body["team"], body["author"]) == ("improvement", "police", None, str(by))
    patched = api_client.patch(f"{API}{body['id']}/", {"text": "Very late."}, format="json")
    assert (patched.status_code, patched.json()["text"]) == (200, "Very late.")
    refused = api_client.post(API, {"run": run.pk, "kind": "strength", "text": ""}, format="json")
    assert refused.status_code == 400
    assert "text" in refused.json()
    assert api_client.delete(f"{API}{body['id']}/").status_code == 204
    assert not HotwashItem.objects.filter(pk=body["id"]).exists()


def test_the_api_refuses_others_points_and_hides_them_from_participants(api_client):
    run, _phases, by = clock_run()
    item = HotwashItemFactory(run=run, author=by)
    api_client.force_authenticate(CoordinatorFactory())
    assert api_client.get(f"{API}{item.pk}/").status_code == 200
    assert api_client.patch(f"{API}{item.pk}/", {"text": "No."}, format="json").status_code == 403
    assert api_client.delete(f"{API}{item.pk}/").status_code == 403
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    api_client.force_authenticate(participant)
    assert api_client.get(API, {"run": run.pk}).json()["results"] == []
    assert api_client.get(f"{API}{item.pk}/").status_code == 404
    assert api_client.delete(f"{API}{item.pk}/").status_code == 404
    assert api_client.post(API, {"run": run.pk, "kind": "strength", "text": "Mine."}, format="json").status_code == 400
    api_client.force_authenticate(FacilitatorFactory())
    assert api_client.post(API, {"run": run.pk, "kind": "strength", "text": "Mine."}, format="json").status_code == 400
    assert HotwashItem.objects.count() == 1


@pytest.mark.parametrize("role", ["participant", "other facilitator", "facilitator", "coordinator"])
def test_the_view_rule_agrees_with_the_list(role):
    run, _phases, by = clock_run()
    item = HotwashItemFactory(run=run, author=by)
    user = {
        "participant": lambda: EnrolmentFactory(cohort=run.cohort).participant.user,
        "other facilitator": FacilitatorFactory,
        "facilitator": lambda: by,
        "coordinator": CoordinatorFactory,
    }[role]()
    listed = selectors.hotwash_queryset(user=user).filter(pk=item.pk).exists()
    assert user.has_perm("conduct.view_hotwashitem", item) == listed
    assert listed == (role in ("facilitator", "coordinator"))
