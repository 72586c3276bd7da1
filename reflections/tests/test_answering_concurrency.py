"""The same person submitting twice at once (two tabs, a double tap), in threads against PostgreSQL: one response.

Both requests pass their own checks before either has written; the administration's row lock serves
them one after the other, and the second finds the completion and is refused. Also checks that two
sweeps at once remind each person once.
"""

from typing import Any

from core.exceptions import ApplicationError
from core.tests.threads import at_once
from reflections import services
from reflections.models import Completion, Reminder, ReminderDelivery, Response
from reflections.tests.answer_world import answer_world

ROUNDS = 5


def test_two_submissions_at_once_store_one_response(postgres):
    for _ in range(ROUNDS):
        world = answer_world(members=1)

        def submit(world: Any = world) -> Response:
            return services.response_submit(
                administration=world.administration, participant=world.member, answers=world.full_answers()
            )

        done, refused = at_once(submit, submit)
        assert len(done) == 1
        assert len(refused) == 1
        assert isinstance(refused[0], ApplicationError)
        assert "already answered" in refused[0].messages[0]
        assert Response.objects.filter(administration=world.administration).count() == 1
        assert Completion.objects.filter(administration=world.administration).count() == 1


def test_two_sweeps_at_once_remind_each_person_once(postgres):
    world = answer_world(members=3)
    reminder = Reminder.objects.create(
        administration=world.administration, kind=Reminder.Kind.AFTER_RUN, due_at=world.administration.opens_at
    )
    done, refused = at_once(services.reminders_send_due, services.reminders_send_due)
    assert refused == []
    assert sorted(done) == [0, 3]
    assert ReminderDelivery.objects.filter(reminder=reminder).count() == 3
