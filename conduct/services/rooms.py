"""Writes of the team rooms and the cell room: acknowledging an inject, sending and replying to messages,
and a message's first read.

Each locks the run's row first, checks, and refuses (``ApplicationError``, nothing written) what does
not fit; each change bumps the run's ``live_version`` so that the rooms' poll shows it. Only the team's
members act as the team: the exercise staff watch its room, send as exercise control (no sender) or in
a cell role, and their reads never count as the team's first read.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.decorators import audited
from conduct.models import InjectDelivery, InjectRelease, Message, MessageRecipient
from conduct.selectors.rooms import played_cell_roles
from core.exceptions import ApplicationError
from exercises.models import CellRole, ExerciseRun, RunTeam
from exercises.services import run_live_bump

MESSAGE_MAX_LENGTH = 4000
SUBJECT_MAX_LENGTH = 200
# Messages flow from the start of the run until it is over (a pause holds the clock, not the talk).
LIVE_STATUSES = (ExerciseRun.Status.RUNNING, ExerciseRun.Status.PAUSED)


def _lock_run(run_id: int) -> ExerciseRun:
    return ExerciseRun.objects.select_for_update().get(pk=run_id)


def _refuse_unless_live(run: ExerciseRun) -> None:
    if run.status == ExerciseRun.Status.PLANNED:
        raise ApplicationError(_("The run has not started yet."))
    if run.status not in LIVE_STATUSES:
        raise ApplicationError(_("The run is over: it was %(status)s.") % {"status": run.get_status_display()})


@transaction.atomic
@audited("delivery.acknowledge")
def delivery_acknowledge(
    *, delivery: InjectDelivery, by: Any, now: dt.datetime | None = None
) -> tuple[InjectDelivery, bool]:
    """Record that ``by``'s team has the inject: the first acknowledgement counts, a second changes nothing.

    Returns the delivery and whether this call acknowledged it.
    """
    if by is None or not by.has_perm("conduct.acknowledge_injectdelivery", delivery):
        raise ApplicationError(_("Only a member of the team it was released to can acknowledge an inject."))
    release = InjectRelease.objects.only("run_id", "status").get(pk=delivery.release_id)
    run = _lock_run(release.run_id)
    if release.status != InjectRelease.Status.RELEASED:
        raise ApplicationError(_("This inject was not released."))
    _refuse_unless_live(run)
    delivery = InjectDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.acknowledged_at is not None:
        return delivery, False
    delivery.acknowledged_at = now or timezone.now()
    delivery.acknowledged_by = by
    delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
    run_live_bump(run_id=run.pk)
    return delivery, True


def _sender_side(
    *, run: ExerciseRun, by: Any, sender_team: RunTeam | None, sender_cell_role: CellRole | None
) -> tuple[RunTeam | None, CellRole | None]:
    if sender_team is not None and sender_cell_role is not None:
        raise ApplicationError(_("A message is sent by one team or one cell role."))
    if sender_team is not None:
        if sender_team.run_id != run.pk or not by.has_perm("conduct.play_in_team", sender_team):
            raise ApplicationError(field_errors={"sender_team": [_("You can send messages only as your own team.")]})
        return sender_team, None
    staff = by.has_perm("conduct.run_clock", run)
    if sender_cell_role is not None:
        plays = (run.pk, sender_cell_role.pk) in played_cell_roles(user=by)
        if sender_cell_role.exercise_id != run.exercise_id or not (staff or plays):
            raise ApplicationError(
                field_errors={"sender_cell_role": [_("You can answer only in a cell role you play in this run.")]}
            )
        return None, sender_cell_role
    if not staff:
        raise ApplicationError(_("Only the exercise staff send as exercise control."))
    return None, None


def _recipients(
    *,
    run: ExerciseRun,
    teams: Iterable[RunTeam],
    cell_roles: Iterable[CellRole],
    sender_team: RunTeam | None,
    sender_cell_role: CellRole | None,
) -> tuple[list[RunTeam], list[CellRole]]:
    teams = list({t.pk: t for t in teams}.values())
    cell_roles = list({r.pk: r for r in cell_roles}.values())
    errors: dict[str, list[str]] = {}
    if any(t.run_id != run.pk for t in teams):
        errors["recipient_teams"] = [_("A message goes only to teams of the same run.")]
    elif sender_team is not None and any(t.pk == sender_team.pk for t in teams):
        errors["recipient_teams"] = [_("A team does not send a message to itself.")]
    if any(r.exercise_id != run.exercise_id for r in cell_roles):
        errors["recipient_cell_roles"] = [_("A message goes only to cell roles of this run's exercise.")]
    elif sender_cell_role is not None and any(r.pk == sender_cell_role.pk for r in cell_roles):
        errors["recipient_cell_roles"] = [_("A cell role does not send a message to itself.")]
    if not errors and not teams and not cell_roles:
        errors["recipient_teams"] = [_("Choose at least one team or cell role to send to.")]
    if errors:
        raise ApplicationError(field_errors=errors)
    return teams, cell_roles


def _reply_target(
    *, run: ExerciseRun, reply_to: Message, by: Any, sender_team: RunTeam | None, sender_cell_role: CellRole | None
) -> MessageRecipient | None:
    """The original's recipient row of the side that answers (None when control answers)."""
    if reply_to.run_id != run.pk:
        raise ApplicationError(field_errors={"reply_to": [_("That message belongs to another run.")]})
    if sender_team is None and sender_cell_role is None:
        return None  # exercise control answers anything in its run
    side = Q(team=sender_team) if sender_team is not None else Q(cell_role=sender_cell_role)
    recipient = (
        MessageRecipient.objects.select_for_update(of=("self",)).filter(side, message=reply_to).order_by("pk").first()
    )
    own = (sender_team is not None and reply_to.sender_team_id == sender_team.pk) or (
        sender_cell_role is not None and reply_to.sender_cell_role_id == sender_cell_role.pk
    )
    if recipient is None and not own:
        raise ApplicationError(field_errors={"reply_to": [_("You can reply only to a message sent to you or by you.")]})
    return recipient


@transaction.atomic
@audited("message.send")
def message_send(
    *,
    run: ExerciseRun,
    by: Any,
    body: str,
    subject: str = "",
    sender_team: RunTeam | None = None,
    sender_cell_role: CellRole | None = None,
    recipient_teams: Iterable[RunTeam] = (),
    recipient_cell_roles: Iterable[CellRole] = (),
    reply_to: Message | None = None,
    now: dt.datetime | None = None,
) -> Message:
    """Send a message or request from a team, a cell role, or exercise control (neither) to teams and cell
    roles of the same run. A reply records the answering side's first reply to the original."""
    if by is None or not by.is_authenticated:
        raise ApplicationError(_("Sign in to send messages."))
    run = _lock_run(run.pk)
    body, subject = (body or "").strip(), (subject or "").strip()
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Write the message.")]
    elif len(body) > MESSAGE_MAX_LENGTH:
        errors["body"] = [_("A message has at most %(count)d characters.") % {"count": MESSAGE_MAX_LENGTH}]
    if len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"] = [_("A subject has at most %(count)d characters.") % {"count": SUBJECT_MAX_LENGTH}]
    if errors:
        raise ApplicationError(field_errors=errors)
    sender_team, sender_cell_role = _sender_side(
        run=run, by=by, sender_team=sender_team, sender_cell_role=sender_cell_role
    )
    _refuse_unless_live(run)
    teams, cell_roles = _recipients(
        run=run,
        teams=recipient_teams,
        cell_roles=recipient_cell_roles,
        sender_team=sender_team,
        sender_cell_role=sender_cell_role,
    )
    answered = None
    if reply_to is not None:
        answered = _reply_target(
            run=run, reply_to=reply_to, by=by, sender_team=sender_team, sender_cell_role=sender_cell_role
        )
    now = now or timezone.now()
    message = Message.objects.create(
        run=run,
        sender_team=sender_team,
        sender_cell_role=sender_cell_role,
        sent_by=by,
        sent_at=now,
        subject=subject,
        body=body,
        reply_to=reply_to,
    )
    MessageRecipient.objects.bulk_create(
        [MessageRecipient(message=message, team=t) for t in teams]
        + [MessageRecipient(message=message, cell_role=r) for r in cell_roles]
    )
    if answered is not None and answered.first_reply_at is None:
        answered.first_reply_at = now
        update = ["first_reply_at"]
        if answered.first_read_at is None:  # one answers what one has read
            answered.first_read_at, answered.first_read_by = now, by
            update += ["first_read_at", "first_read_by"]
        answered.save(update_fields=update)
    run_live_bump(run_id=run.pk)
    return message


@transaction.atomic
@audited("message.read", target="message")
def message_read(*, message: Message, by: Any, now: dt.datetime | None = None) -> int:
    """Mark ``message`` read for the sides ``by`` plays among its recipients (their confirmed team, the cell
    roles they play in the run), if not read yet. The staff peeking in a room mark nothing.

    Returns how many recipients this read first.
    """
    if by is None or not by.is_authenticated:
        return 0
    roles = [role for run_id, role in played_cell_roles(user=by) if run_id == message.run_id]
    mine = [
        r
        for r in MessageRecipient.objects.filter(message=message, first_read_at__isnull=True).select_related(
            "team__run"
        )
        if (r.team is not None and by.has_perm("conduct.play_in_team", r.team)) or r.cell_role_id in roles
    ]
    if not mine:
        return 0
    _lock_run(message.run_id)
    marked = MessageRecipient.objects.filter(pk__in=[r.pk for r in mine], first_read_at__isnull=True).update(
        first_read_at=now or timezone.now(), first_read_by=by
    )
    if marked:
        run_live_bump(run_id=message.run_id)  # the sender's room shows it was read
    return marked
