"""The rooms' writes: acknowledging an inject, sending, replying and first reads; every refusal writes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from conduct.models import InjectDelivery, InjectRelease, Message, MessageRecipient
from conduct.services import delivery_acknowledge, message_read, message_send, run_finish
from conduct.tests.factories import InjectDeliveryFactory, InjectReleaseFactory
from conduct.tests.rooms import Room, room_run
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun
from exercises.tests.factories import CellRoleFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def room() -> Room:
    return room_run()


def _version(room: Room) -> int:
    return ExerciseRun.objects.get(pk=room.run.pk).live_version


def _delivery(room: Room, team=None) -> InjectDelivery:
    release = InjectReleaseFactory(run=room.run)
    return InjectDeliveryFactory(release=release, team=team or room.police)


# --- acknowledgements --------------------------------------------------------------------------------


def test_a_member_acknowledges_once_and_the_second_press_changes_nothing(room: Room):
    delivery = _delivery(room)
    before = _version(room)

    acknowledged, done = delivery_acknowledge(delivery=delivery, by=room.alice, now=T0)

    assert done
    assert (acknowledged.acknowledged_at, acknowledged.acknowledged_by) == (T0, room.alice)
    assert _version(room) == before + 1
    # A second press later: a no-op that keeps the first time and person.
    mate = InjectDeliveryFactory._meta.model.objects.get(pk=delivery.pk)
    again, done = delivery_acknowledge(delivery=mate, by=room.alice, now=T0 + dt.timedelta(minutes=3))
    assert not done
    assert again.acknowledged_at == T0
    assert _version(room) == before + 1


@pytest.mark.parametrize("who", ["bob", "facilitator", "coordinator", "player", "olga"])
def test_only_the_teams_members_acknowledge(room: Room, who: str):
    delivery = _delivery(room)
    with pytest.raises(ApplicationError):
        delivery_acknowledge(delivery=delivery, by=getattr(room, who))
    assert InjectDelivery.objects.get(pk=delivery.pk).acknowledged_at is None


def test_no_acknowledgement_before_the_teams_are_confirmed_or_after_the_run(room: Room):
    delivery = _delivery(room)
    ExerciseRun.objects.filter(pk=room.run.pk).update(teams_confirmed_at=None)
    with pytest.raises(ApplicationError):
        delivery_acknowledge(delivery=InjectDelivery.objects.get(pk=delivery.pk), by=room.alice)
    ExerciseRun.objects.filter(pk=room.run.pk).update(teams_confirmed_at=timezone.now())
    run_finish(run=room.run, by=room.facilitator)
    with pytest.raises(ApplicationError, match="over"):
        delivery_acknowledge(delivery=InjectDelivery.objects.get(pk=delivery.pk), by=room.alice)
    assert InjectDelivery.objects.get(pk=delivery.pk).acknowledged_at is None


def test_a_skipped_inject_cannot_be_acknowledged(room: Room):
    delivery = InjectDeliveryFactory(
        release=InjectReleaseFactory(run=room.run, status=InjectRelease.Status.SKIPPED), team=room.police
    )
    with pytest.raises(ApplicationError, match="not released"):
        delivery_acknowledge(delivery=delivery, by=room.alice)


# --- sending -----------------------------------------------------------------------------------------


def test_a_team_messages_another_team_and_a_cell_role(room: Room):
    before = _version(room)
    message = message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        recipient_teams=[room.police],
        recipient_cell_roles=[room.embassy],
        subject="Six persons",
        body="  Six persons with irregular documents.  ",
        now=T0,
    )
    assert (message.sender_team, message.sent_by, message.sent_at, message.body) == (
        room.border,
        room.bob,
        T0,
        "Six persons with irregular documents.",
    )
    recipients = {(r.team_id, r.cell_role_id) for r in message.recipients.all()}
    assert recipients == {(room.police.pk, None), (None, room.embassy.pk)}
    assert _version(room) == before + 1


def _refused(room: Room, field: str | None = None, **kwargs) -> None:
    arguments = {
        "run": room.run,
        "by": room.bob,
        "sender_team": room.border,
        "recipient_teams": [room.police],
        "body": "Hello",
        **kwargs,
    }
    before = (_version(room), Message.objects.count(), MessageRecipient.objects.count())
    with pytest.raises(ApplicationError) as refused:
        message_send(**arguments)
    if field:
        assert field in refused.value.as_dict(), refused.value.as_dict()
    assert (_version(room), Message.objects.count(), MessageRecipient.objects.count()) == before


def test_messaging_a_team_of_another_run_is_refused(room: Room):
    _refused(room, "recipient_teams", recipient_teams=[room.police, room.other_team])


def test_a_cell_role_of_another_exercise_is_refused(room: Room):
    _refused(room, "recipient_cell_roles", recipient_cell_roles=[CellRoleFactory()])


def test_no_recipient_or_oneself_is_refused(room: Room):
    _refused(room, "recipient_teams", recipient_teams=[])
    _refused(room, "recipient_teams", recipient_teams=[room.border])


def test_an_empty_or_too_long_body_is_refused(room: Room):
    _refused(room, "body", body="   ")
    _refused(room, "body", body="x" * 4001)
    _refused(room, "subject", subject="s" * 201)


def test_sending_as_a_team_one_does_not_play_in_is_refused(room: Room):
    _refused(room, "sender_team", sender_team=room.police, recipient_teams=[room.border])
    _refused(room, "sender_team", by=room.facilitator)  # the staff write as control, not as a team


def test_control_is_for_the_staff_and_a_cell_role_for_those_who_play_it(room: Room):
    _refused(room, by=room.bob, sender_team=None)
    _refused(room, "sender_cell_role", by=room.player, sender_team=None, sender_cell_role=room.media)
    _refused(room, by=room.player, sender_team=None)
    as_embassy = message_send(
        run=room.run, by=room.player, sender_cell_role=room.embassy, recipient_teams=[room.police], body="Consul"
    )
    control = message_send(run=room.run, by=room.facilitator, recipient_teams=[room.police], body="Status?")
    staff_role = message_send(
        run=room.run, by=room.coordinator, sender_cell_role=room.media, recipient_teams=[room.border], body="Press"
    )
    assert (as_embassy.sender_cell_role, control.sender_team, control.sender_cell_role) == (room.embassy, None, None)
    assert staff_role.sender_cell_role == room.media


def test_messages_flow_from_the_start_until_the_run_is_over():
    room = room_run(start=False)
    _refused(room)
    from conduct.services import run_start

    run_start(run=room.run, by=room.facilitator)
    message_send(run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], body="Hi")
    run_finish(run=room.run, by=room.facilitator)
    _refused(room)


# --- reading and replying ----------------------------------------------------------------------------


def test_the_first_read_is_the_teams_members_and_staff_peeking_does_not_count(room: Room):
    message = message_send(
        run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], body="Hi", now=T0
    )
    before = _version(room)
    for peeker in (room.facilitator, room.coordinator, room.bob, room.player):
        assert message_read(message=message, by=peeker) == 0
    assert MessageRecipient.objects.get(message=message).first_read_at is None
    assert _version(room) == before

    assert message_read(message=message, by=room.alice, now=T0 + dt.timedelta(minutes=2)) == 1
    assert message_read(message=message, by=room.alice, now=T0 + dt.timedelta(minutes=9)) == 0
    recipient = MessageRecipient.objects.get(message=message)
    assert (recipient.first_read_at, recipient.first_read_by) == (T0 + dt.timedelta(minutes=2), room.alice)
    assert _version(room) == before + 1


def test_a_role_player_reads_for_the_role_they_play(room: Room):
    message = message_send(
        run=room.run, by=room.bob, sender_team=room.border, recipient_cell_roles=[room.embassy, room.media], body="?"
    )
    assert message_read(message=message, by=room.player, now=T0) == 1
    reads = {r.cell_role_id: r.first_read_at for r in MessageRecipient.objects.filter(message=message)}
    assert reads == {room.embassy.pk: T0, room.media.pk: None}


def test_a_reply_records_the_first_reply_time_of_the_side_that_answers(room: Room):
    question = message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        recipient_teams=[room.police],
        recipient_cell_roles=[room.embassy],
        body="Can you check these passports?",
        now=T0,
    )
    message_read(message=question, by=room.alice, now=T0 + dt.timedelta(minutes=1))
    answer = message_send(
        run=room.run,
        by=room.alice,
        sender_team=room.police,
        recipient_teams=[room.border],
        reply_to=question,
        body="Checking.",
        now=T0 + dt.timedelta(minutes=4),
    )
    message_send(
        run=room.run,
        by=room.alice,
        sender_team=room.police,
        recipient_teams=[room.border],
        reply_to=question,
        body="Done.",
        now=T0 + dt.timedelta(minutes=8),
    )
    police = MessageRecipient.objects.get(message=question, team=room.police)
    embassy = MessageRecipient.objects.get(message=question, cell_role=room.embassy)
    assert (police.first_read_at, police.first_reply_at) == (T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=4))
    assert (embassy.first_read_at, embassy.first_reply_at) == (None, None)
    assert answer.reply_to == question

    # The embassy answers without having opened it: the reply is its first read too.
    message_send(
        run=room.run,
        by=room.player,
        sender_cell_role=room.embassy,
        recipient_teams=[room.border],
        reply_to=question,
        body="Valid.",
        now=T0 + dt.timedelta(minutes=6),
    )
    embassy.refresh_from_db()
    assert (embassy.first_read_at, embassy.first_reply_at) == (T0 + dt.timedelta(minutes=6),) * 2


def test_replying_to_a_message_not_sent_to_or_by_oneself_is_refused(room: Room):
    control = message_send(run=room.run, by=room.facilitator, recipient_teams=[room.border], body="For border only")
    _refused(room, "reply_to", by=room.alice, sender_team=room.police, recipient_teams=[room.border], reply_to=control)
    elsewhere = Message.objects.create(run=room.other_team.run, sent_at=T0, body="Other run")
    _refused(room, "reply_to", reply_to=elsewhere)
