"""The cell page (/runs/<id>/cell/staff/), the run page and dashboard for a guest, and /api/v1/cell-members/."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import services
from exercises.models import ExerciseRun, RunCellMember
from exercises.tests.factories import (
    CellRoleFactory,
    ExerciseRunFactory,
    RunCellMemberFactory,
    TeamMembershipFactory,
)
from participants.tests.factories import EnrolmentFactory
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell():
    facilitator = FacilitatorFactory(email="lead@cell.test")
    cohort = CohortFactory(facilitators=[facilitator], name="Warsaw cohort")
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort, title="Day one"))
    embassy = CellRoleFactory(exercise=run.exercise, name="The embassy")
    media = CellRoleFactory(exercise=run.exercise, name="The media")
    return run, facilitator, embassy, media


def _page(run: ExerciseRun) -> str:
    return reverse("exercises:run_cell", kwargs={"pk": run.pk})


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_lists_the_cell_and_offers_the_cohort_staff_not_yet_in_it(client, cell):
    run, facilitator, embassy, _media = cell
    colleague = FacilitatorFactory(first_name="Cleo", last_name="Colleague")
    run.cohort.facilitators.add(colleague)
    place = services.cell_guest_invite(run=run, email="guest@cell.test", cell_roles=[embassy], by=facilitator)
    client.force_login(facilitator)

    page = client.get(_page(run)).content.decode()

    assert "guest@cell.test" in page
    assert "The embassy" in page
    assert "Guest" in page
    assert f'name="member-{place.pk}-kind"' in page
    assert "Cleo Colleague" in page  # offered in the "add" select
    assert f"/runs/{run.pk}/cell/" in page  # the cell room


def test_a_facilitator_adds_invites_changes_and_removes_through_the_page(
    client, cell, django_capture_on_commit_callbacks
):
    run, facilitator, embassy, media = cell
    client.force_login(facilitator)

    response = client.post(
        _page(run), {"action": "add", "user": facilitator.pk, "kind": "controller", "cell_roles": [media.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == _page(run)
    assert RunCellMember.objects.get(run=run, user=facilitator).kind == "controller"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _page(run),
            {
                "action": "invite",
                "email": "Guest@Cell.test",
                "name": "Gina Guest",
                "kind": "role_player",
                "cell_roles": [embassy.pk],
            },
        )
    guest_place = RunCellMember.objects.get(run=run, guest=True)
    assert guest_place.user.email == "guest@cell.test"
    assert len(mail.outbox) == 1

    prefix = f"member-{guest_place.pk}"
    client.post(
        _page(run),
        {
            "action": "change",
            "member": guest_place.pk,
            f"{prefix}-kind": "evaluator",
            f"{prefix}-cell_roles": [media.pk],
        },
    )
    guest_place.refresh_from_db()
    assert (guest_place.kind, list(guest_place.cell_roles.all())) == ("evaluator", [media])

    client.post(_page(run), {"action": "remove", "member": guest_place.pk})
    assert not RunCellMember.objects.filter(pk=guest_place.pk).exists()


def test_a_refused_invitation_shows_the_reason_next_to_the_field_and_writes_nothing(client, cell):
    run, facilitator, _embassy, _media = cell
    trainee = TeamMembershipFactory(team__run=run).enrolment.participant.user
    client.force_login(facilitator)
    response = client.post(_page(run), {"action": "invite", "email": trainee.email, "kind": "role_player"})
    assert response.status_code == 200
    assert "a trainee cannot also be in its cell" in response.content.decode()
    assert not RunCellMember.objects.exists()


def test_a_place_of_another_run_cannot_be_changed_from_this_page(client, cell):
    run, facilitator, _embassy, _media = cell
    elsewhere = RunCellMemberFactory(kind="role_player")
    client.force_login(facilitator)
    response = client.post(_page(run), {"action": "remove", "member": elsewhere.pk}, follow=True)
    assert "not in this run&#x27;s cell" in response.content.decode()
    assert RunCellMember.objects.filter(pk=elsewhere.pk).exists()


def test_who_gets_the_page(client, cell):
    run, facilitator, _embassy, _media = cell
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    guest = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator).user
    expected = [
        (CoordinatorFactory(), 200),
        (facilitator, 200),
        (participant, 403),
        (guest, 403),
        (FacilitatorFactory(), 404),
    ]
    for user, status in expected:
        client.force_login(user)
        assert client.get(_page(run)).status_code == status, user
        assert client.post(_page(run), {"action": "invite", "email": "x@cell.test"}).status_code == status
    assert not RunCellMember.objects.filter(user__email="x@cell.test").exclude(run=run).exists()


def test_the_page_reads_in_a_fixed_number_of_queries(client, cell, django_assert_max_num_queries):
    run, facilitator, embassy, media = cell
    client.force_login(facilitator)
    for n in range(8):
        place = services.cell_guest_invite(run=run, email=f"guest{n}@cell.test", by=facilitator)
        place.cell_roles.set([embassy, media])
    with django_assert_max_num_queries(14):
        assert client.get(_page(run)).status_code == 200


# --- the guest's run page and dashboard -----------------------------------------------------------------


def test_the_guest_sees_the_run_page_with_their_place_and_no_way_into_the_cohort(client, cell):
    run, facilitator, embassy, _media = cell
    TeamMembershipFactory(team__run=run)
    guest = services.cell_guest_invite(run=run, email="guest@cell.test", cell_roles=[embassy], by=facilitator).user
    client.force_login(guest)

    page = client.get(run.get_absolute_url()).content.decode()

    assert "Your place in the simulation cell" in page
    assert "The embassy" in page
    assert f'href="/runs/{run.pk}/cell/"' in page
    assert run.cohort.get_absolute_url() not in page  # no link to the cohort page or its sessions
    assert "Teams" not in page
    assert "not been placed in a team" not in page
    assert reverse("exercises:run_cell", kwargs={"pk": run.pk}) not in page
    assert client.get(run.cohort.get_absolute_url()).status_code == 404


def test_the_run_page_links_the_cell_for_those_who_manage_it(client, cell):
    run, facilitator, _embassy, _media = cell
    client.force_login(facilitator)
    assert reverse("exercises:run_cell", kwargs={"pk": run.pk}) in client.get(run.get_absolute_url()).content.decode()


def test_the_guest_dashboard_lists_their_cell_places(client, cell):
    run, facilitator, embassy, _media = cell
    guest = services.cell_guest_invite(run=run, email="guest@cell.test", cell_roles=[embassy], by=facilitator).user
    client.force_login(guest)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your cell places" in page
    assert f'href="/runs/{run.pk}/cell/"' in page
    assert "The embassy" in page
    assert "no role yet" not in page
    assert "Warsaw cohort" not in page


# --- the API --------------------------------------------------------------------------------------------

API = "/api/v1/cell-members/"


def test_the_api_adds_invites_lists_changes_and_deletes(api_client, cell, django_capture_on_commit_callbacks):
    run, facilitator, embassy, media = cell
    api_client.force_authenticate(facilitator)

    added = api_client.post(API, {"run": run.pk, "user": facilitator.pk, "cell_roles": [media.pk]}, format="json")
    assert added.status_code == 201, added.json()
    assert (added.json()["kind"], added.json()["guest"], added.json()["cell_roles"]) == (
        "controller",
        False,
        [media.pk],
    )

    with django_capture_on_commit_callbacks(execute=True):
        invited = api_client.post(
            API,
            {"run": run.pk, "email": "guest@cell.test", "name": "Gina Guest", "cell_roles": [embassy.pk]},
            format="json",
        )
    assert invited.status_code == 201
    body = invited.json()
    assert (body["kind"], body["guest"], body["user"]["email"]) == ("role_player", True, "guest@cell.test")
    assert len(mail.outbox) == 1

    listed = api_client.get(API, {"run": run.pk}).json()
    assert {row["id"] for row in listed["results"]} == {added.json()["id"], body["id"]}

    changed = api_client.patch(f"{API}{body['id']}/", {"kind": "evaluator", "cell_roles": []}, format="json")
    assert (changed.status_code, changed.json()["kind"], changed.json()["cell_roles"]) == (200, "evaluator", [])

    assert api_client.delete(f"{API}{body['id']}/").status_code == 204
    assert api_client.get(f"{API}{body['id']}/").status_code == 404


def test_api_refusals_answer_400_in_the_error_shape_and_write_nothing(api_client, cell):
    run, facilitator, _embassy, _media = cell
    trainee = TeamMembershipFactory(team__run=run).enrolment.participant.user
    api_client.force_authenticate(facilitator)
    cases = [
        ({"run": run.pk}, "non_field_errors"),  # neither user nor email
        ({"run": run.pk, "user": facilitator.pk, "email": "x@cell.test"}, "non_field_errors"),
        ({"run": run.pk, "email": trainee.email}, "email"),
        ({"run": run.pk, "email": "guest@cell.test", "kind": "boss"}, "kind"),
        ({"run": run.pk, "email": "guest@cell.test", "cell_roles": [CellRoleFactory().pk]}, "cell_roles"),
        ({"run": ExerciseRunFactory().pk, "email": "guest@cell.test"}, "run"),  # a run one cannot see
    ]
    for data, field in cases:
        response = api_client.post(API, data, format="json")
        assert response.status_code == 400, (data, response.json())
        assert field in response.json(), (data, response.json())
    assert not RunCellMember.objects.exists()


def test_the_api_asks_the_rules(api_client, cell):
    run, facilitator, _embassy, _media = cell
    place = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    participant = EnrolmentFactory(cohort=run.cohort).participant.user

    # The guest reads their own place, and may not change or remove it.
    api_client.force_authenticate(place.user)
    assert [row["id"] for row in api_client.get(API).json()["results"]] == [place.pk]
    assert api_client.patch(f"{API}{place.pk}/", {"kind": "controller"}, format="json").status_code == 403
    assert api_client.delete(f"{API}{place.pk}/").status_code == 403
    refused = api_client.post(API, {"run": run.pk, "email": "friend@cell.test"}, format="json")
    assert refused.status_code == 400
    assert "manage the run's cell" in str(refused.json())

    # A participant of the cohort and another cohort's facilitator see no place at all.
    for user in (participant, FacilitatorFactory()):
        api_client.force_authenticate(user)
        assert api_client.get(API).json()["results"] == []
        assert api_client.delete(f"{API}{place.pk}/").status_code == 404
    assert RunCellMember.objects.filter(pk=place.pk, kind="role_player").exists()


def test_the_list_reads_in_a_fixed_number_of_queries(api_client, cell, django_assert_max_num_queries):
    run, facilitator, embassy, media = cell
    for n in range(10):
        services.cell_guest_invite(run=run, email=f"g{n}@cell.test", cell_roles=[embassy, media], by=facilitator)
    api_client.force_authenticate(facilitator)
    with django_assert_max_num_queries(6):
        assert len(api_client.get(API, {"run": run.pk}).json()["results"]) == 10
