"""Two members of a team acknowledging the same inject at once, in threads against PostgreSQL: one
acknowledgement is recorded (the first), the other press is a no-op, and the rooms' version moves once.
The same for two members opening a message: one first read."""

from typing import Any

from conduct import services
from conduct.models import InjectDelivery, MessageRecipient
from conduct.tests.factories import InjectDeliveryFactory, InjectReleaseFactory
from conduct.tests.rooms import room_run
from core.tests.threads import at_once
from exercises.models import ExerciseRun
from exercises.tests.factories import TeamMembershipFactory

ROUNDS = 10


def test_two_members_acknowledging_at_once_record_one_acknowledgement(postgres):
    room = room_run()
    mate = TeamMembershipFactory(team=room.police).enrolment.participant.user
    for round_ in range(ROUNDS):
        delivery = InjectDeliveryFactory(release=InjectReleaseFactory(run=room.run), team=room.police)
        before = ExerciseRun.objects.get(pk=room.run.pk).live_version

        def press(by: Any, pk: int = delivery.pk) -> Any:
            return lambda: services.delivery_acknowledge(delivery=InjectDelivery.objects.get(pk=pk), by=by)

        done, refused = at_once(press(room.alice), press(mate))
        assert (len(done), refused) == (2, []), (round_, refused)
        delivery.refresh_from_db()
        assert delivery.acknowledged_by_id in (room.alice.pk, mate.pk)
        assert ExerciseRun.objects.get(pk=room.run.pk).live_version == before + 1


def test_two_members_opening_a_message_at_once_record_one_first_read(postgres):
    room = room_run()
    mate = TeamMembershipFactory(team=room.police).enrolment.participant.user
    for round_ in range(ROUNDS):
        message = services.message_send(
            run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], body=f"m{round_}"
        )
        results: list[int] = []

        def read(by: Any, message: Any = message, results: list[int] = results) -> Any:
            return lambda: results.append(services.message_read(message=message, by=by))

        at_once(read(room.alice), read(mate))
        assert sorted(results) == [0, 1], round_
        assert MessageRecipient.objects.get(message=message).first_read_by_id in (room.alice.pk, mate.pk)
