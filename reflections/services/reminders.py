"""Reminding people who have not answered, from the table of due reminders (``Reminder``).

A beat task calls ``reminders_send_due`` every few minutes. Each due, unswept reminder is taken with
``SKIP LOCKED`` (two sweeps never take the same one), one ``ReminderDelivery`` is written per person
still to answer (unique: once per person and reminder, even if a reminder were swept twice), and one
task is queued through the outbox after the commit; it emails each of them once (``core.mail.send_once``).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.mail import send_once, single_line
from core.outbox import queue_on_commit
from exercises.models import ExerciseRun
from participants.models import Participant
from reflections.models import Administration, Completion, Reminder, ReminderDelivery

# Reminders taken per sweep; the next sweep takes the rest.
SWEEP_BATCH = 100


def administration_members(*, administration: Administration) -> Any:
    """The people who answer an administration: its cohort's members with a participant profile. Erased
    people stay among them (inactive, under the anonymous label) so that response rates keep their numbers."""
    return Participant.objects.filter(
        Q(user__is_active=True) | Q(user__erased_at__isnull=False),
        user__cohort_memberships__cohort_id=administration.cohort_id,
    ).select_related("user")


def _not_answered(reminder: Reminder) -> list[int]:
    answered = Completion.objects.filter(administration_id=reminder.administration_id).values("participant_id")
    reminded = ReminderDelivery.objects.filter(reminder=reminder).values("participant_id")
    return list(
        administration_members(administration=reminder.administration)
        .filter(user__erased_at__isnull=True)
        .exclude(pk__in=answered)
        .exclude(pk__in=reminded)
        .values_list("pk", flat=True)
    )


def _held_for_the_run(reminder: Reminder, now: dt.datetime) -> bool:
    """An after-the-run reminder waits for the run's real end plus its delay. Its due time was worked out
    from the plan when the questionnaire was given: a run that ended late, or is still going, moves it on."""
    administration = reminder.administration
    run = administration.run
    if reminder.kind != Reminder.Kind.AFTER_RUN or run is None or administration.remind_after_hours is None:
        return False
    delay = dt.timedelta(hours=administration.remind_after_hours)
    if run.ended_at is not None:
        due = run.ended_at + delay
    elif run.status in (ExerciseRun.Status.RUNNING, ExerciseRun.Status.PAUSED):
        due = now + delay  # at the earliest; looked at again then
    else:
        return False
    if due <= now:
        return False
    reminder.due_at = due
    reminder.save(update_fields=["due_at"])
    return True


def _sweep(reminder: Reminder, now: dt.datetime) -> int:
    """Record who this reminder goes to and queue their emails; the number of people."""
    if reminder.administration.opens_at > now:
        return 0  # due before the questionnaire opens: left for the first sweep after opening
    if _held_for_the_run(reminder, now):
        return 0
    reminder.swept_at = now
    reminder.save(update_fields=["swept_at"])
    if reminder.administration.closes_at <= now:
        return 0  # closed already: nothing to answer
    people = _not_answered(reminder)
    ReminderDelivery.objects.bulk_create(
        [ReminderDelivery(reminder=reminder, participant_id=pk, sent_at=now) for pk in people], ignore_conflicts=True
    )
    if people:
        from reflections.tasks import reflection_reminder_notify_task  # the task module imports this one

        queue_on_commit(reflection_reminder_notify_task, reminder.pk, dedupe_key=f"reflection-reminder:{reminder.pk}")
    return len(people)


@transaction.atomic
@audited("reminders.send_due")
def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Sweep the reminders due by ``now``; the number of people reminded."""
    now = now or timezone.now()
    due = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        # One due before its questionnaire opens waits for the opening (and does not fill the batch).
        .filter(swept_at__isnull=True, due_at__lte=now, administration__opens_at__lte=now)
        .select_related("administration__run")
        .order_by("due_at", "pk")[:SWEEP_BATCH]
    )
    return sum(_sweep(reminder, now) for reminder in due)


@transaction.atomic
@audited("reminder.send_now")
def reminder_send_now(*, administration: Administration, by: Any, now: dt.datetime | None = None) -> Reminder:
    """A facilitator reminds everyone who has not answered yet, at once."""
    now = now or timezone.now()
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    if not by.has_perm("reflections.follow_administration", administration):
        raise ApplicationError(_("Only the cohort's facilitators can send reminders."))
    if not administration.opens_at <= now < administration.closes_at:
        raise ApplicationError(_("Reminders go out only while the questionnaire is open."))
    reminder = Reminder.objects.create(
        administration=administration, kind=Reminder.Kind.NOW, due_at=now, requested_by=by
    )
    _sweep(reminder, now)
    return reminder


def reminder_recipient_ids(*, reminder_id: int) -> list[int]:
    """The people a swept reminder goes to."""
    return list(ReminderDelivery.objects.filter(reminder_id=reminder_id).values_list("participant_id", flat=True))


def reminder_email_one(*, reminder_id: int, participant_id: int) -> bool:
    """Email one person their reminder, once; nothing when they answered meanwhile or it has closed."""
    delivery = (
        ReminderDelivery.objects.filter(reminder_id=reminder_id, participant_id=participant_id)
        .select_related(
            "reminder__administration__questionnaire", "reminder__administration__cohort", "participant__user"
        )
        .first()
    )
    if delivery is None:
        return False
    administration = delivery.reminder.administration
    if administration.closes_at <= timezone.now():
        return False
    if Completion.objects.filter(administration=administration, participant_id=participant_id).exists():
        return False
    participant = delivery.participant
    return send_once(
        key=("reflection-reminder", reminder_id, participant_id),
        send=lambda: _send(administration=administration, participant=participant),
    )


def _send(*, administration: Administration, participant: Participant) -> bool:
    user = participant.user
    url = settings.SITE_URL.rstrip("/") + reverse("reflections:answer", kwargs={"pk": administration.pk})
    cohort = administration.cohort
    with translation.override(user_language(user)), timezone.override(cohort.tz):
        subject = single_line(_("Reminder: %(title)s") % {"title": administration.questionnaire.title})
        body = render_to_string(
            "emails/reflection_reminder.txt",
            {"name": str(user), "administration": administration, "cohort": cohort, "url": url},
        )
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return True
