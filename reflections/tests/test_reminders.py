"""Reminders from the table of due reminders: once per person, never to those who answered."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import FacilitatorFactory
from core.exceptions import ApplicationError
from reflections import services
from reflections.models import Reminder, ReminderDelivery
from reflections.tasks import reflection_reminders_sweep_task
from reflections.tests.answer_world import answer_world

pytestmark = pytest.mark.django_db


def _due(world, kind=Reminder.Kind.AFTER_RUN, minutes_ago=5) -> Reminder:
    return Reminder.objects.create(
        administration=world.administration, kind=kind, due_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )


def test_the_sweep_emails_each_person_who_has_not_answered_once_even_when_run_twice(
    django_capture_on_commit_callbacks,
):
    world = answer_world(members=3)
    services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers()
    )
    reminder = _due(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in world.members[1:])
    assert world.member.user.email not in {m.to[0] for m in mail.outbox}
    reminder.refresh_from_db()
    assert reminder.swept_at is not None
    assert ReminderDelivery.objects.filter(reminder=reminder).count() == 2
    message = mail.outbox[0]
    assert "\n" not in message.subject
    assert "After the simulation" in message.subject
    assert f"/reflections/answer/{world.administration.pk}/" in message.body


def test_a_reminder_swept_again_by_hand_writes_to_nobody_twice(django_capture_on_commit_callbacks):
    world = answer_world(members=2)
    reminder = _due(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send_due()
    Reminder.objects.filter(pk=reminder.pk).update(swept_at=None)  # as if a second sweep took it too
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due() == 0
    assert len(mail.outbox) == 2
    # The email task running twice (a redelivery) sends nothing again.
    from reflections.services.reminders import reminder_email_one

    assert reminder_email_one(reminder_id=reminder.pk, participant_id=world.member.pk) is False
    assert len(mail.outbox) == 2


def test_each_reminder_slot_reminds_once(django_capture_on_commit_callbacks):
    world = answer_world(members=1)
    _due(world, Reminder.Kind.AFTER_RUN, minutes_ago=60)
    _due(world, Reminder.Kind.BEFORE_CLOSE, minutes_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reflection_reminders_sweep_task() == 2
    assert len(mail.outbox) == 2


def test_a_reminder_not_due_yet_waits_and_a_closed_questionnaire_reminds_nobody(django_capture_on_commit_callbacks):
    world = answer_world(members=1)
    later = Reminder.objects.create(
        administration=world.administration,
        kind=Reminder.Kind.BEFORE_CLOSE,
        due_at=timezone.now() + dt.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due() == 0
    later.refresh_from_db()
    assert later.swept_at is None
    after_closing = world.administration.closes_at + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=after_closing) == 0
    assert mail.outbox == []


def test_an_after_the_run_reminder_waits_for_a_run_that_runs_late(django_capture_on_commit_callbacks):
    """Planned from the session's end; the run is still going then, and ends an hour late: the reminder
    goes two hours after the real end, not after the planned one."""
    from exercises.models import ExerciseRun
    from exercises.tests.factories import ExerciseRunFactory

    world = answer_world(members=2, remind_after_hours=2)
    run = ExerciseRunFactory(cohort=world.administration.cohort, status=ExerciseRun.Status.RUNNING)
    world.administration.run = run
    world.administration.save(update_fields=["run"])
    reminder = _due(world, minutes_ago=1)  # the planned time has come
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=now) == 0  # the run is still going
    reminder.refresh_from_db()
    assert reminder.swept_at is None
    assert reminder.due_at == now + dt.timedelta(hours=2)

    ended = now + dt.timedelta(hours=1)
    ExerciseRun.objects.filter(pk=run.pk).update(
        status=ExerciseRun.Status.FINISHED, started_at=now - dt.timedelta(hours=2), ended_at=ended
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=now + dt.timedelta(hours=2, minutes=30)) == 0  # 1.5 h after the end
    reminder.refresh_from_db()
    assert reminder.due_at == ended + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=ended + dt.timedelta(hours=2)) == 2
    assert len(mail.outbox) == 2


def test_a_reminder_due_before_opening_waits_for_the_opening(django_capture_on_commit_callbacks):
    now = timezone.now()
    world = answer_world(members=1, opens_at=now + dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=3))
    reminder = _due(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due() == 0
    reminder.refresh_from_db()
    assert reminder.swept_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=now + dt.timedelta(hours=2)) == 1
    assert len(mail.outbox) == 1


def test_someone_who_answers_after_the_sweep_is_not_emailed(django_capture_on_commit_callbacks):
    world = answer_world(members=1)
    reminder = _due(world)
    services.reminders_send_due()  # the email task is not run: its callbacks are not executed
    services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers()
    )
    from reflections.services.reminders import reminder_email_one

    assert reminder_email_one(reminder_id=reminder.pk, participant_id=world.member.pk) is False
    assert mail.outbox == []


def test_send_now_reminds_at_once_and_only_the_cohorts_staff_may(django_capture_on_commit_callbacks):
    world = answer_world(members=2)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.reminder_send_now(administration=world.administration, by=world.facilitator)
    assert reminder.kind == Reminder.Kind.NOW
    assert reminder.swept_at is not None
    assert len(mail.outbox) == 2
    with pytest.raises(ApplicationError, match="facilitators"):
        services.reminder_send_now(administration=world.administration, by=FacilitatorFactory())
    with pytest.raises(ApplicationError, match="facilitators"):
        services.reminder_send_now(administration=world.administration, by=world.member.user)
    assert Reminder.objects.count() == 1
    # A second "now" is a new reminder slot: those who still have not answered hear again.
    with django_capture_on_commit_callbacks(execute=True):
        services.reminder_send_now(administration=world.administration, by=world.facilitator)
    assert len(mail.outbox) == 4


def test_send_now_is_refused_once_closed():
    world = answer_world(members=1)
    with pytest.raises(ApplicationError, match="only while"):
        services.reminder_send_now(
            administration=world.administration,
            by=world.facilitator,
            now=world.administration.closes_at + dt.timedelta(minutes=1),
        )
    assert not Reminder.objects.exists()


def test_the_sweep_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reflections.tasks.reflection_reminders_sweep_task" in tasks
