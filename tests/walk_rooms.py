"""Permission-walk expectations for the team rooms and the cell room (conduct.views.rooms, conduct.api.rooms).

A team's room is for its members once the teams are confirmed (the participant plays in team 1 of run A)
and for the exercise staff. The cell room is for the run's cell and its staff; the run's participant sees
the run, so gets 403; people who cannot see the run get 404. The objects addressed (an inject released
to the participant's team with an attachment, a message from the rival team to it, one from it to a
cell role) are made once per world, on first use.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from conduct.models import InjectDelivery, InjectRelease, Message, MessageRecipient
from exercises.models import InjectAttachment
from exercises.tests.factories import CellRoleFactory
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

TEAM_ROOM = (LOGIN, 404, 200, 404, 200, 200)
API_TEAM_ROOM = (REFUSED, 404, 200, 404, 200, 200)

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "conduct:team_room": TEAM_ROOM,
    "conduct:team_room_live": TEAM_ROOM,
    "conduct:team_handout": TEAM_ROOM,
    "conduct:team_message": TEAM_ROOM,
    "conduct:team_attachment": TEAM_ROOM,
    "conduct:cell_room": (LOGIN, 404, 403, 404, 200, 200),
    "conduct:cell_room_live": (LOGIN, 404, 403, 404, 200, 200),
    "conduct:cell_message": (LOGIN, 404, 403, 404, 200, 200),
    "api:teamroom-detail": API_TEAM_ROOM,
    "api:injectdelivery-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:injectdelivery-detail": API_TEAM_ROOM,
    "api:message-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:message-detail": API_TEAM_ROOM,
}


def _room_objects(w: World) -> SimpleNamespace:
    """An inject released to the participant's team (with a file) and a message from the rival team to it."""
    made = w.__dict__.get("_rooms")
    if made is None:
        # Inject 3: walk_conduct releases inject 1 to the same run, and a planned inject is released once.
        inject = w.exercise.injects.get(number=3)
        attachment = InjectAttachment(inject=inject, title="Scanned passport")
        attachment.file.save("walk-passport.pdf", ContentFile(b"%PDF-1.4 walk"), save=True)
        release, _new = InjectRelease.objects.get_or_create(
            run=w.run, inject=inject, defaults={"status": "released", "title": inject.title, "at": timezone.now()}
        )
        delivery, _new = InjectDelivery.objects.get_or_create(release=release, team=w.team)
        message = Message.objects.create(
            run=w.run, sender_team=w.team_rival, sent_at=release.at, subject="Six persons", body="At the border."
        )
        MessageRecipient.objects.create(message=message, team=w.team)
        to_cell = Message.objects.create(run=w.run, sender_team=w.team, sent_at=release.at, body="To the embassy.")
        MessageRecipient.objects.create(message=to_cell, cell_role=CellRoleFactory(exercise=w.exercise, name="Embassy"))
        made = SimpleNamespace(attachment=attachment, delivery=delivery, message=message, to_cell=to_cell)
        w.__dict__["_rooms"] = made
    return made


def _team(w: World, **extra: Any) -> SimpleNamespace:
    return SimpleNamespace(pk=w.run.pk, team_pk=w.team.pk, **extra)


TARGETS: dict[str, Callable[[World], Any]] = {
    "conduct:team_room": _team,
    "conduct:team_room_live": _team,
    "conduct:team_handout": _team,
    "conduct:team_message": lambda w: _team(w, message_pk=_room_objects(w).message.pk),
    "conduct:team_attachment": lambda w: _team(w, attachment_pk=_room_objects(w).attachment.pk),
    "conduct:cell_room": lambda w: w.run,
    "conduct:cell_room_live": lambda w: w.run,
    "conduct:cell_message": lambda w: SimpleNamespace(pk=w.run.pk, message_pk=_room_objects(w).to_cell.pk),
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "teamroom": lambda w: w.team,
    "injectdelivery": lambda w: _room_objects(w).delivery,
    "message": lambda w: _room_objects(w).message,
}

_WRITE = "write action (POST), outside this read-only walk; see conduct/tests/test_room_api.py"
SKIPPED: dict[str, str] = {"api:injectdelivery-acknowledge": _WRITE, "api:message-read": _WRITE}
