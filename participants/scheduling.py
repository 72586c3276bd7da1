"""Acting on schedule changes: telling a cancelled session's people, filling places a larger cohort frees.

Trainings announces a cancellation (``trainings.signals.session_cancelled``); only this layer
knows who takes part, so it gathers the recipients and sends one email per person, in their
language, after the cancelling transaction has committed.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exercises.models import ExerciseRun
from participants.models import Enrolment
from trainings.conflicts import slot_text
from trainings.models import Session
from trainings.signals import cohort_capacity_raised, session_cancelled

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str


def session_cancellation_recipients(*, session: Session) -> list[Recipient]:
    """The people expected in the session: attending participants, the cohort's facilitators, the run's lead.

    Participants get their preferred language; staff the course's language. One email per address.
    """
    staff_language = session.cohort.course.language
    found: dict[str, Recipient] = {}
    enrolments = Enrolment.objects.filter(
        cohort_id=session.cohort_id, status__in=Enrolment.ATTENDING_STATUSES, participant__user__is_active=True
    ).select_related("participant__user")
    for enrolment in enrolments:
        user = enrolment.participant.user
        found[user.email] = Recipient(user.email, str(user), enrolment.participant.preferred_language)
    staff = list(session.cohort.facilitators.filter(is_active=True))
    run = ExerciseRun.objects.filter(session=session).select_related("lead_facilitator").first()
    if run is not None and run.lead_facilitator is not None and run.lead_facilitator.is_active:
        staff.append(run.lead_facilitator)
    for user in staff:
        found.setdefault(user.email, Recipient(user.email, str(user), staff_language))
    return sorted(found.values(), key=lambda r: r.email)


def session_cancellation_notify(*, session_id: int, reason: str = "") -> int:
    """Email everyone expected in a cancelled session; returns how many emails were sent.

    Says nothing when the session is gone or was reinstated before this ran.
    """
    session = Session.objects.select_related("cohort__course").filter(pk=session_id).first()
    if session is None or session.status != Session.Status.CANCELLED:
        return 0
    cohort = session.cohort
    run: Any = ExerciseRun.objects.filter(session=session).select_related("exercise").first()
    agenda_url = settings.SITE_URL.rstrip("/") + cohort.get_absolute_url()
    messages = []
    for recipient in session_cancellation_recipients(session=session):
        with translation.override(recipient.language), timezone.override(cohort.tz):
            when = slot_text(session.starts_at, session.ends_at, tz=cohort.tz, zone_name=cohort.time_zone)
            subject = _("Cancelled: %(title)s, %(when)s") % {"title": session.title, "when": when}
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
        messages.append(EmailMessage(subject=subject, body=body, to=[recipient.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


@receiver(session_cancelled, dispatch_uid="participants.session_cancelled_notify")
def queue_session_cancelled_notices(sender: Any, session: Session, reason: str = "", **kwargs: Any) -> None:
    # Imported here: the task module imports this one for the service it calls.
    from participants.tasks import session_cancelled_notify_task

    session_id = session.pk

    def queue() -> None:
        # The cancellation stands whatever the broker says: a failed publish is logged, not raised.
        try:
            session_cancelled_notify_task.delay(session_id, reason)
        except Exception:  # kombu raises several kinds; the cancellation must stand
            logger.exception("Could not queue the cancellation emails for session %s", session_id)

    transaction.on_commit(queue)


@receiver(cohort_capacity_raised, dispatch_uid="participants.promote_waitlist_on_capacity")
def _promote_waitlist(sender: Any, *, cohort: Any, by: Any = None, **kwargs: Any) -> None:
    # Inside the raising transaction: the promoted people and the new capacity commit together.
    from participants.services import cohort_waitlist_promote

    cohort_waitlist_promote(cohort=cohort, by=by)
