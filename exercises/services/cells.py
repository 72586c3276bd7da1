"""Writes for a run's simulation cell: who controls, role-plays and evaluates it.

A place goes to one of the cohort's staff (``cell_member_add``) or to a guest invited by e-mail
(``cell_guest_invite``), who gets this run and its cell room only: no enrolment, no cohort membership.
Only coordinators and the cohort's facilitators manage the cell (``exercises.manage_cell``). Every
service locks the run's row first and refuses with ``ApplicationError``, writing nothing.
"""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_coordinator
from accounts.services import user_email_normalise, user_get_or_create
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.outbox import queue_on_commit
from exercises.models import CellRole, ExerciseRun, RunCellMember, TeamMembership
from exercises.services.runs import run_live_bump
from trainings import access
from trainings.models import CohortMember

NAME_MAX_LENGTH = 150


def _locked_run(*, run: ExerciseRun, by: Any) -> ExerciseRun:
    """The run's row, locked, if ``by`` manages its cell; every cell write starts here."""
    if by is None or not by.has_perm("exercises.manage_cell", run):
        raise ApplicationError(_("Only coordinators and the cohort's facilitators manage the run's cell."))
    return ExerciseRun.objects.select_for_update().select_related("cohort").get(pk=run.pk)


def _open_run(run: ExerciseRun) -> None:
    if run.status in (ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED):
        raise ApplicationError(
            _("The run is %(status)s: its cell takes nobody new.") % {"status": run.get_status_display().lower()}
        )


def _checked(*, run: ExerciseRun, kind: str, cell_roles: Iterable[Any]) -> tuple[str, list[CellRole]]:
    """The kind and the roles for a place in ``run``'s cell, or every refusal at once as field errors."""
    errors: dict[str, list[str]] = {}
    if kind not in RunCellMember.Kind.values:
        errors["kind"] = [_("Choose controller, role-player or evaluator.")]
    wanted = {role.pk if isinstance(role, CellRole) else role for role in cell_roles}
    roles = list(CellRole.objects.filter(pk__in=wanted, exercise_id=run.exercise_id))
    if len(roles) != len(wanted):
        errors["cell_roles"] = [_("Choose cell roles of this run's exercise.")]
    if errors:
        raise ApplicationError(field_errors=errors)
    return kind, roles


def _trainee_refusal(*, run: ExerciseRun, user: User, field: str) -> None:
    """Trainees play in teams, never in the cell: refuse one who plays in a team of the run or takes part
    in its cohort (the team assistant would seat them in a team)."""
    membership = TeamMembership.objects.filter(run=run, enrolment__participant__user=user).select_related(
        "team__team_role"
    )
    team = membership.first()
    if team is not None:
        raise ApplicationError(
            field_errors={
                field: [
                    _("%(person)s plays in %(team)s of this run: a trainee cannot also be in its cell.")
                    % {"person": user, "team": team.team}
                ]
            }
        )
    if CohortMember.objects.filter(cohort_id=run.cohort_id, user=user).exists():
        raise ApplicationError(
            field_errors={
                field: [
                    _("%(person)s takes part in this cohort as a trainee: trainees play in teams, not in the cell.")
                    % {"person": user}
                ]
            }
        )


def _is_staff(*, run: ExerciseRun, user: User) -> bool:
    """A coordinator, or one of the run cohort's facilitators (or its named coordinators)."""
    return is_coordinator(user) or run.cohort_id in access.facilitated_cohort_ids(user)


def _place_create(
    *, run: ExerciseRun, user: User, kind: str, roles: list[CellRole], guest: bool, by: Any
) -> tuple[RunCellMember, bool]:
    """The user's place in the run's cell, and whether it is new. An existing place (two invitations of
    one address at once: the unique constraint) is returned as it is."""
    existing = RunCellMember.objects.filter(run=run, user=user).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a duplicate
            place = RunCellMember.objects.create(run=run, user=user, kind=kind, guest=guest, invited_by=by)
    except IntegrityError:
        existing = RunCellMember.objects.filter(run=run, user=user).first()
        if existing is None:
            raise
        return existing, False
    place.cell_roles.set(roles)
    run_live_bump(run_id=run.pk)
    return place, True


@transaction.atomic
@audited("cell_member.add", subject="user_id")
def cell_member_add(
    *, run: ExerciseRun, user: User, kind: str = RunCellMember.Kind.CONTROLLER, cell_roles: Iterable[Any] = (), by: Any
) -> RunCellMember:
    """Give one of the cohort's staff a place in the run's cell; refused when they have one already."""
    run = _locked_run(run=run, by=by)
    _open_run(run)
    kind, roles = _checked(run=run, kind=kind, cell_roles=cell_roles)
    if not user.is_active or not _is_staff(run=run, user=user):
        raise ApplicationError(
            field_errors={"user": [_("Choose one of the cohort's facilitators; invite anyone else as a guest.")]}
        )
    _trainee_refusal(run=run, user=user, field="user")
    place, created = _place_create(run=run, user=user, kind=kind, roles=roles, guest=False, by=by)
    if not created:
        raise ApplicationError(field_errors={"user": [_("%(person)s is already in the cell.") % {"person": user}]})
    return place


def _names(name: str) -> dict[str, str]:
    """“Anna Maria Kowalska” as a first name and a last name (the last word)."""
    words = " ".join(name.split())
    if len(words) > NAME_MAX_LENGTH:
        raise ApplicationError(field_errors={"name": [_("At most %(limit)s characters.") % {"limit": NAME_MAX_LENGTH}]})
    first, _space, last = words.rpartition(" ")
    return {"first_name": first, "last_name": last} if first else {"first_name": words, "last_name": ""}


@transaction.atomic
@audited("cell_member.invite", subject="user_id")
def cell_guest_invite(
    *,
    run: ExerciseRun,
    email: str,
    name: str = "",
    kind: str = RunCellMember.Kind.ROLE_PLAYER,
    cell_roles: Iterable[Any] = (),
    by: Any,
) -> RunCellMember:
    """Invite a guest by e-mail to the run's cell: found or created by the normalised address, given a
    place with ``guest=True`` and e-mailed once after the commit (a link to set a password when they have
    none, and the cell room). Inviting someone who has a place already returns that place, e-mailing nobody.
    """
    run = _locked_run(run=run, by=by)
    _open_run(run)
    kind, roles = _checked(run=run, kind=kind, cell_roles=cell_roles)
    address = user_email_normalise(email)
    names = _names(name)
    existing = User.objects.filter(email=address).first()
    if existing is not None:
        place = RunCellMember.objects.filter(run=run, user=existing).first()
        if place is not None:
            return place
        if not existing.is_active:
            raise ApplicationError(field_errors={"email": [_("This person's account is deactivated.")]})
        if _is_staff(run=run, user=existing):
            raise ApplicationError(
                field_errors={
                    "email": [_("%(person)s is on the cohort's staff: add them from the list.") % {"person": existing}]
                }
            )
        _trainee_refusal(run=run, user=existing, field="email")
    user, _created = user_get_or_create(email=address, **names)
    place, created = _place_create(run=run, user=user, kind=kind, roles=roles, guest=True, by=by)
    if created:
        # Imported here: the task module imports the notices, which import the models.
        from exercises.tasks import cell_invitation_notify_task

        # Through the outbox: the place stands whatever the broker says, and the e-mail is not lost.
        queue_on_commit(cell_invitation_notify_task, place.pk, dedupe_key=f"cell-invitation:{place.pk}")
    return place


@transaction.atomic
@audited("cell_member.update", target="member", subject="user_id")
def cell_member_update(
    *, member: RunCellMember, by: Any, kind: str | None = None, cell_roles: Iterable[Any] | None = None
) -> RunCellMember:
    """Change a place's kind and/or the cell roles it plays (``None`` keeps what is stored)."""
    run = _locked_run(run=member.run, by=by)
    member = RunCellMember.objects.select_for_update().get(pk=member.pk)
    current_roles = list(member.cell_roles.all()) if cell_roles is None else cell_roles
    kind, roles = _checked(run=run, kind=member.kind if kind is None else kind, cell_roles=current_roles)
    if kind != member.kind:
        member.kind = kind
        member.save(update_fields=["kind", "updated_at"])
    if cell_roles is not None:
        member.cell_roles.set(roles)
    run_live_bump(run_id=run.pk)
    return member


@transaction.atomic
@audited("cell_member.remove", target="member", subject="user_id")
def cell_member_remove(*, member: RunCellMember, by: Any) -> None:
    """Take the place away: a guest loses the run with it. What they sent in a cell role stays the role's."""
    run = _locked_run(run=member.run, by=by)
    deleted, _rows = RunCellMember.objects.filter(pk=member.pk, run=run).delete()
    if not deleted:
        raise ApplicationError(_("This place in the cell was removed already."))
    run_live_bump(run_id=run.pk)
