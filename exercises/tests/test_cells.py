"""The run's simulation cell: adding the cohort's staff, inviting guests, changing and removing places.

Every refusal writes nothing; the guest's e-mail goes once, after the commit; the guest takes no
place in the cohort and sees the run, and only it.
"""

import pytest
from django.core import mail

from accounts.models import User
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, UserFactory
from core.exceptions import ApplicationError
from core.models import OutboxMessage
from exercises import selectors, services
from exercises.models import ExerciseRun, RunCellMember
from exercises.tests.factories import (
    CellRoleFactory,
    ExerciseRunFactory,
    RunCellMemberFactory,
    TeamMembershipFactory,
)
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory
from trainings.models import CohortMember
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell():
    """A run of a cohort with its facilitator, and two cell roles of its exercise."""
    facilitator = FacilitatorFactory(email="lead@cell.test")
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[facilitator]))
    embassy = CellRoleFactory(exercise=run.exercise, name="The embassy")
    media = CellRoleFactory(exercise=run.exercise, name="The media")
    return run, facilitator, embassy, media


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _nothing_written(run: ExerciseRun, version: int) -> None:
    assert not RunCellMember.objects.filter(run=run).exists()
    assert not OutboxMessage.objects.exists()
    assert ExerciseRun.objects.get(pk=run.pk).live_version == version


# --- adding the cohort's staff ----------------------------------------------------------------------


def test_a_facilitator_adds_a_colleague_of_the_cohort_with_roles(cell):
    run, facilitator, embassy, media = cell
    colleague = FacilitatorFactory()
    run.cohort.facilitators.add(colleague)

    place = services.cell_member_add(
        run=run, user=colleague, kind=RunCellMember.Kind.ROLE_PLAYER, cell_roles=[embassy, media.pk], by=facilitator
    )

    assert (place.user, place.kind, place.guest, place.invited_by) == (colleague, "role_player", False, facilitator)
    assert set(place.cell_roles.all()) == {embassy, media}
    assert ExerciseRun.objects.get(pk=run.pk).live_version == 1  # the cell room shows who plays what
    assert not mail.outbox
    assert not OutboxMessage.objects.exists()


def test_a_facilitator_may_put_themselves_in_the_cell_and_a_coordinator_anyone_of_the_staff(cell):
    run, facilitator, _embassy, _media = cell
    coordinator = CoordinatorFactory()
    assert services.cell_member_add(run=run, user=facilitator, by=facilitator).kind == "controller"
    assert services.cell_member_add(run=run, user=coordinator, kind="evaluator", by=coordinator).guest is False


def test_adding_refuses_and_writes_nothing(cell):
    run, facilitator, embassy, _media = cell
    outsider = FacilitatorFactory()  # facilitates another cohort
    other_role = CellRoleFactory(name="Another exercise's role")

    cases = [
        ({"user": outsider}, "user"),
        ({"user": facilitator, "kind": "spectator"}, "kind"),
        ({"user": facilitator, "cell_roles": [other_role]}, "cell_roles"),
        ({"user": facilitator, "cell_roles": [987654]}, "cell_roles"),
    ]
    for arguments, field in cases:
        with pytest.raises(ApplicationError) as refused:
            services.cell_member_add(run=run, by=facilitator, **{"kind": "controller", **arguments})
        assert field in refused.value.field_errors, arguments
    _nothing_written(run, 0)
    assert embassy.players.count() == 0


def test_only_coordinators_and_the_cohort_facilitators_manage_the_cell(cell):
    run, facilitator, _embassy, _media = cell
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    for by in (FacilitatorFactory(), participant, UserFactory(), None):
        with pytest.raises(ApplicationError, match="manage the run's cell"):
            services.cell_member_add(run=run, user=facilitator, by=by)
        with pytest.raises(ApplicationError, match="manage the run's cell"):
            services.cell_guest_invite(run=run, email="guest@cell.test", by=by)
    _nothing_written(run, 0)
    assert not User.objects.filter(email="guest@cell.test").exists()


def test_a_place_is_given_once(cell):
    run, facilitator, _embassy, _media = cell
    services.cell_member_add(run=run, user=facilitator, by=facilitator)
    with pytest.raises(ApplicationError) as refused:
        services.cell_member_add(run=run, user=facilitator, kind="evaluator", by=facilitator)
    assert "already in the cell" in refused.value.field_errors["user"][0]
    assert RunCellMember.objects.get(run=run).kind == "controller"


@pytest.mark.parametrize("status", [ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED])
def test_a_finished_or_cancelled_run_takes_nobody_new(cell, status):
    run, facilitator, _embassy, _media = cell
    ExerciseRun.objects.filter(pk=run.pk).update(status=status)
    with pytest.raises(ApplicationError, match="takes nobody new"):
        services.cell_member_add(run=run, user=facilitator, by=facilitator)
    with pytest.raises(ApplicationError, match="takes nobody new"):
        services.cell_guest_invite(run=run, email="late@cell.test", by=facilitator)
    _nothing_written(run, 0)


# --- trainees are never in the cell -----------------------------------------------------------------


def test_a_trainee_who_plays_in_a_team_of_the_run_cannot_be_in_its_cell(cell):
    run, facilitator, _embassy, _media = cell
    membership = TeamMembershipFactory(team__run=run)
    trainee = membership.enrolment.participant.user

    with pytest.raises(ApplicationError) as refused:
        services.cell_guest_invite(run=run, email=trainee.email.upper(), by=facilitator)
    assert f"plays in {membership.team} of this run" in refused.value.field_errors["email"][0]
    _nothing_written(run, 0)


def test_a_trainee_of_the_cohort_not_yet_in_a_team_cannot_be_in_its_cell_either(cell):
    run, facilitator, _embassy, _media = cell
    trainee = EnrolmentFactory(cohort=run.cohort, status=Enrolment.Status.ENROLLED).participant.user
    with pytest.raises(ApplicationError) as refused:
        services.cell_guest_invite(run=run, email=trainee.email, by=facilitator)
    assert "takes part in this cohort as a trainee" in refused.value.field_errors["email"][0]
    _nothing_written(run, 0)


def test_a_facilitator_who_is_also_a_trainee_of_the_run_is_refused(cell):
    run, facilitator, _embassy, _media = cell
    membership = TeamMembershipFactory(team__run=run)
    both = membership.enrolment.participant.user
    run.cohort.facilitators.add(both)
    with pytest.raises(ApplicationError) as refused:
        services.cell_member_add(run=run, user=_fresh(both), by=facilitator)
    assert "a trainee cannot also be in its cell" in refused.value.field_errors["user"][0]


# --- inviting guests ---------------------------------------------------------------------------------


def test_a_guest_is_created_by_normalised_address_given_a_place_and_emailed_once_after_the_commit(
    cell, django_capture_on_commit_callbacks
):
    run, facilitator, embassy, _media = cell
    with django_capture_on_commit_callbacks(execute=True):
        place = services.cell_guest_invite(
            run=run,
            email="  Anna.Kowalska@ＥＭＢＡＳＳＹ.example ",  # full-width domain, spaces: one spelling
            name="Anna  Maria Kowalska",
            cell_roles=[embassy],
            by=facilitator,
        )
        assert not mail.outbox  # nothing before the commit

    guest = place.user
    assert (guest.email, guest.first_name, guest.last_name) == (
        "anna.kowalska@embassy.example",
        "Anna Maria",
        "Kowalska",
    )
    assert not guest.has_usable_password()
    assert (place.guest, place.kind, list(place.cell_roles.all())) == (True, "role_player", [embassy])
    # No place in the cohort: neither an enrolment nor a cohort membership.
    assert not Enrolment.objects.filter(participant__user=guest).exists()
    assert not CohortMember.objects.filter(user=guest).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna.kowalska@embassy.example"]
    assert run.exercise.name in message.subject
    assert f"/runs/{run.pk}/cell/" in message.body
    assert "/accounts/password/reset/key/" in message.body  # allauth's set-a-password link
    assert "The embassy" in message.body


def test_inviting_the_same_address_again_returns_the_place_and_emails_nobody_twice(
    cell, django_capture_on_commit_callbacks
):
    run, facilitator, _embassy, _media = cell
    with django_capture_on_commit_callbacks(execute=True):
        first = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.cell_guest_invite(run=run, email="GUEST@cell.test", kind="evaluator", by=facilitator)
    assert again.pk == first.pk
    assert again.kind == "role_player"
    assert RunCellMember.objects.filter(run=run).count() == 1
    assert len(mail.outbox) == 1


def test_the_email_is_sent_once_however_often_its_task_runs(cell, django_capture_on_commit_callbacks):
    from exercises.tasks import cell_invitation_notify_task

    run, facilitator, _embassy, _media = cell
    with django_capture_on_commit_callbacks(execute=True):
        place = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    assert cell_invitation_notify_task(place.pk) is False  # redelivered: sent already
    assert len(mail.outbox) == 1


def test_a_place_removed_before_the_email_goes_is_told_nothing(cell, django_capture_on_commit_callbacks):
    from exercises.tasks import cell_invitation_notify_task

    run, facilitator, _embassy, _media = cell
    place = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)  # no commit callbacks run
    services.cell_member_remove(member=place, by=facilitator)
    assert cell_invitation_notify_task(place.pk) is False
    assert not mail.outbox


def test_an_existing_account_with_a_password_is_invited_without_a_password_link(
    cell, django_capture_on_commit_callbacks
):
    run, facilitator, _embassy, _media = cell
    known = UserFactory(email="known@ngo.example", first_name="Known", last_name="Person")
    with django_capture_on_commit_callbacks(execute=True):
        place = services.cell_guest_invite(run=run, email="known@ngo.example", name="Someone Else", by=facilitator)
    assert place.user == known
    known.refresh_from_db()
    assert (known.first_name, known.last_name) == ("Known", "Person")  # an address alone never renames
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body


def test_inviting_refuses_and_writes_nothing(cell):
    run, facilitator, _embassy, _media = cell
    colleague = FacilitatorFactory(email="colleague@cell.test")
    run.cohort.facilitators.add(colleague)
    UserFactory(email="gone@cell.test", is_active=False)
    cases = [
        ({"email": "not an address"}, "email"),
        ({"email": "zero\u200bwidth@cell.test"}, "email"),
        ({"email": "colleague@cell.test"}, "email"),  # staff are added, not invited
        ({"email": "gone@cell.test"}, "email"),
        ({"email": "new@cell.test", "kind": "audience"}, "kind"),
        ({"email": "new@cell.test", "cell_roles": [CellRoleFactory()]}, "cell_roles"),
        ({"email": "new@cell.test", "name": "x" * 151}, "name"),
    ]
    users = User.objects.count()
    for arguments, field in cases:
        with pytest.raises(ApplicationError) as refused:
            services.cell_guest_invite(run=run, by=facilitator, **arguments)
        assert field in refused.value.field_errors, arguments
    _nothing_written(run, 0)
    assert User.objects.count() == users


# --- changing and removing ----------------------------------------------------------------------------


def test_a_place_changes_kind_and_roles(cell):
    run, facilitator, embassy, media = cell
    place = services.cell_guest_invite(run=run, email="guest@cell.test", cell_roles=[embassy], by=facilitator)

    services.cell_member_update(member=place, kind="controller", by=facilitator)
    place.refresh_from_db()
    assert (place.kind, list(place.cell_roles.all())) == ("controller", [embassy])  # roles kept

    services.cell_member_update(member=place, cell_roles=[media], by=facilitator)
    assert list(place.cell_roles.all()) == [media]
    services.cell_member_update(member=place, cell_roles=[], by=facilitator)
    assert not place.cell_roles.exists()
    assert ExerciseRun.objects.get(pk=run.pk).live_version == 4


def test_changing_refuses_and_writes_nothing(cell):
    run, facilitator, embassy, _media = cell
    place = RunCellMemberFactory(run=run, kind="role_player")
    place.cell_roles.set([embassy])
    for arguments in ({"kind": "boss"}, {"cell_roles": [CellRoleFactory()]}, {"by": FacilitatorFactory()}):
        with pytest.raises(ApplicationError):
            services.cell_member_update(member=place, **{"by": facilitator, **arguments})
    place.refresh_from_db()
    assert (place.kind, list(place.cell_roles.all())) == ("role_player", [embassy])
    assert ExerciseRun.objects.get(pk=run.pk).live_version == 0


def test_removing_a_guest_takes_the_run_away_from_them(cell):
    run, facilitator, _embassy, _media = cell
    place = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    guest = place.user
    assert ExerciseRun.objects.visible_to(_fresh(guest)).get() == run

    with pytest.raises(ApplicationError, match="manage the run's cell"):
        services.cell_member_remove(member=place, by=guest)
    services.cell_member_remove(member=place, by=facilitator)
    with pytest.raises(ApplicationError, match="removed already"):
        services.cell_member_remove(member=place, by=facilitator)

    assert not ExerciseRun.objects.visible_to(_fresh(guest)).exists()
    assert not _fresh(guest).has_perm("exercises.view_exerciserun", run)
    assert User.objects.filter(pk=guest.pk).exists()  # the account stays


# --- what a place shows --------------------------------------------------------------------------------


def test_a_guest_sees_their_run_and_nothing_else_of_the_cohort(cell):
    run, facilitator, _embassy, _media = cell
    other_run = ExerciseRunFactory(cohort=run.cohort)
    place = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    guest = _fresh(place.user)

    assert list(ExerciseRun.objects.visible_to(guest)) == [run]
    assert guest.has_perm("exercises.view_exerciserun", run)
    assert guest.has_perm("exercises.play_in_cell", run)
    for perm, obj in [
        ("exercises.view_exerciserun", other_run),
        ("trainings.view_cohort", run.cohort),
        ("trainings.view_cohort_roster", run.cohort),
        ("exercises.view_exercise", run.exercise),
        ("exercises.manage_cell", run),
        ("exercises.facilitate_exerciserun", run),
        ("conduct.run_clock", run),
        ("conduct.add_observation", run),
    ]:
        assert not guest.has_perm(perm, obj), perm


def test_visible_places_agree_with_the_rule(cell):
    run, facilitator, _embassy, _media = cell
    own = services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    colleague_place = services.cell_member_add(run=run, user=facilitator, by=facilitator)
    elsewhere = RunCellMemberFactory()  # another cohort's run
    people = [_fresh(own.user), _fresh(facilitator), CoordinatorFactory(), FacilitatorFactory(), elsewhere.user]
    for person in people:
        for place in (own, colleague_place, elsewhere):
            by_rule = _fresh(person).has_perm("exercises.view_runcellmember", place)
            by_queryset = RunCellMember.objects.visible_to(_fresh(person)).filter(pk=place.pk).exists()
            assert by_rule == by_queryset, (person, place)
    assert list(RunCellMember.objects.visible_to(_fresh(own.user))) == [own]


def test_a_run_seen_through_the_cohort_and_the_cell_is_listed_once(cell):
    run, facilitator, _embassy, _media = cell
    services.cell_member_add(run=run, user=facilitator, by=facilitator)
    services.cell_guest_invite(run=run, email="guest@cell.test", by=facilitator)
    assert list(ExerciseRun.objects.visible_to(_fresh(facilitator))) == [run]


def test_the_dashboard_list_shows_open_places_only(cell):
    run, facilitator, embassy, _media = cell
    done = ExerciseRunFactory(cohort=run.cohort, exercise=run.exercise, status=ExerciseRun.Status.FINISHED)
    place = services.cell_guest_invite(run=run, email="guest@cell.test", cell_roles=[embassy], by=facilitator)
    RunCellMemberFactory(run=done, user=place.user)
    places = selectors.cell_place_list_for_user(user=place.user)
    assert [p.run for p in places] == [run]
    assert selectors.cell_room_url(run=run) == f"/runs/{run.pk}/cell/"
