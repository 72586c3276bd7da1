"""Telling a cancelled session's people: its participants, its cohort's facilitators and its run's lead.

portal.services.session_cancel queues this after the cancelling transaction has committed: one
task gathers the recipients and queues one task per person, which emails them once, in their language.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from core.mail import send_once, single_line
from core.outbox import queue_on_commit
from exercises.models import ExerciseRun
from participants.models import Enrolment
from trainings.conflicts import slot_text
from trainings.models import Session


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str


def session_cancellation_recipients(*, session: Session, email: str = "") -> list[Recipient]:
    """The people expected in the session: attending participants, the cohort's facilitators, the run's lead.

    Each in their language (``accounts.languages.user_language``); staff who chose none, the course's.
    One per address; with ``email``, only the person with that address (if they are expected).
    """
    staff_language = session.cohort.course.language
    found: dict[str, Recipient] = {}
    enrolments = Enrolment.objects.filter(
        cohort_id=session.cohort_id, status__in=Enrolment.ATTENDING_STATUSES, participant__user__is_active=True
    ).select_related("participant__user")
    staff_users = session.cohort.facilitators.filter(is_active=True)
    if email:
        enrolments = enrolments.filter(participant__user__email__iexact=email)
        staff_users = staff_users.filter(email__iexact=email)
    for enrolment in enrolments:
        user = enrolment.participant.user
        found[user.email] = Recipient(user.email, str(user), user_language(user))
    staff = list(staff_users)
    run = ExerciseRun.objects.filter(session=session).select_related("lead_facilitator").first()
    lead = run.lead_facilitator if run is not None else None
    if lead is not None and lead.is_active and (not email or lead.email.lower() == email.lower()):
        staff.append(lead)
    for user in staff:
        found.setdefault(user.email, Recipient(user.email, str(user), user_language(user, fallback=staff_language)))
    return sorted(found.values(), key=lambda r: r.email)


def _cancelled_session(session_id: int) -> Session | None:
    """The session if it is still cancelled: one reinstated (or deleted) meanwhile is told to nobody."""
    session = Session.objects.select_related("cohort__course").filter(pk=session_id).first()
    if session is None or session.status != Session.Status.CANCELLED:
        return None
    return session


def session_cancellation_emails(*, session_id: int) -> list[str]:
    """The addresses to tell of a cancelled session (none when it is not cancelled any more)."""
    session = _cancelled_session(session_id)
    if session is None:
        return []
    return [recipient.email for recipient in session_cancellation_recipients(session=session)]


def session_cancellation_notify_one(*, session_id: int, email: str, reason: str = "") -> bool:
    """Email one person expected in a cancelled session, in their language; False when nothing was sent.

    Sent once per person and cancellation (the session's ``sequence`` goes up with every change):
    a retried or repeated task writes to nobody twice. Says nothing when the session was reinstated
    meanwhile, or the person is not expected any more.
    """
    session = _cancelled_session(session_id)
    if session is None:
        return False
    recipients = session_cancellation_recipients(session=session, email=email)
    if not recipients:
        return False
    recipient = recipients[0]
    return send_once(
        key=("session-cancelled", session.pk, session.sequence, recipient.email),
        send=lambda: _send_cancellation(session=session, recipient=recipient, reason=reason),
    )


def _send_cancellation(*, session: Session, recipient: Recipient, reason: str) -> bool:
    cohort = session.cohort
    run: Any = ExerciseRun.objects.filter(session=session).select_related("exercise").first()
    agenda_url = settings.SITE_URL.rstrip("/") + cohort.get_absolute_url()
    with translation.override(recipient.language), timezone.override(cohort.tz):
        when = slot_text(session.starts_at, session.ends_at, tz=cohort.tz, zone_name=cohort.time_zone)
        # A title with a line break must not stop the email (BadHeaderError): subjects are one line.
        subject = single_line(_("Cancelled: %(title)s, %(when)s") % {"title": session.title, "when": when})
        body = render_to_string(
            "emails/session_cancelled.txt",
            {
                "name": recipient.name,
                "session": session,
                "cohort": cohort,
                "run": run,
                "when": when,
                "reason": reason,
                "agenda_url": agenda_url,
            },
        )
    EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    return True


def session_cancelled_notices_queue(*, session: Session, reason: str = "") -> None:
    """After the commit, email everyone expected in the cancelled session (portal.services.session_cancel)."""
    # Imported here: the task module imports this one for the service it calls.
    from portal.tasks import session_cancelled_notify_task

    # Through the outbox: the cancellation stands whatever the broker says, and the emails are not lost.
    # One set of emails per cancellation (the sequence goes up with each).
    queue_on_commit(
        session_cancelled_notify_task,
        session.pk,
        reason,
        dedupe_key=f"session-cancelled:{session.pk}:{session.sequence}",
    )
