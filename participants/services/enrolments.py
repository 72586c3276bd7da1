"""Writes for enrolments: enrol someone, change a status (with its history), the waiting list, emails.

Every enrolment takes its cohort's row lock first, so that two enrolments cannot take the last
place at once, and mirrors itself into trainings' CohortMember (``participants.services.members``).
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import user_email_normalise
from audit.decorators import audited
from audit.services import audit_records
from core.exceptions import ApplicationError
from core.outbox import queue_on_commit
from core.services import model_full_clean
from participants.conflicts import participant_session_clashes, participants_session_clashes, session_clash_messages
from participants.enrolment import EVENT_ENROLLED, EVENT_PROMOTED, EVENT_REMINDER
from participants.models import Enrolment, EnrolmentStatusChange, Participant
from participants.selectors import cohort_places_taken
from participants.services.members import enrolment_member_sync
from participants.services.people import participant_get_or_create, staff_refusal
from participants.tasks import enrolment_notify_many_task, enrolment_notify_task
from trainings.models import Cohort, Session

# A coordinator enrols someone directly or invites them; other statuses come from status changes.
NEW_ENROLMENT_STATUSES = (Enrolment.Status.INVITED, Enrolment.Status.ENROLLED)
# Which status may follow which; anything else is refused (a completed enrolment never goes back
# to invited). Completed may return to enrolled only to undo a completion recorded by mistake.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Enrolment.Status.INVITED: (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED, Enrolment.Status.WITHDRAWN),
    Enrolment.Status.WAITLISTED: (Enrolment.Status.INVITED, Enrolment.Status.ENROLLED, Enrolment.Status.WITHDRAWN),
    Enrolment.Status.ENROLLED: (Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN),
    Enrolment.Status.COMPLETED: (Enrolment.Status.ENROLLED,),
    Enrolment.Status.WITHDRAWN: (Enrolment.Status.INVITED, Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED),
}


def lock_cohort(cohort: Cohort) -> Cohort:
    """Lock the cohort row so that two enrolments cannot take its last place at once."""
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _ensure_place(cohort: Cohort) -> None:
    """Refuse when the (locked) cohort has no free place."""
    if cohort_places_taken(cohort=cohort) >= cohort.capacity:
        raise ApplicationError(
            field_errors={
                "cohort": [
                    _("%(cohort)s is full: all %(capacity)d places are taken.")
                    % {"cohort": cohort.name, "capacity": cohort.capacity}
                ]
            }
        )


def _ensure_free_to_attend(*, cohort: Cohort, participant: Participant) -> None:
    """Refuse when another cohort the person attends meets while one of ``cohort``'s sessions takes place."""
    clashes = participant_session_clashes(participant=participant, cohort=cohort)
    if clashes:
        raise ApplicationError(
            _("%(name)s cannot attend %(cohort)s: they are expected elsewhere at the same time.")
            % {"name": participant.user, "cohort": cohort.name},
            field_errors={"schedule": session_clash_messages(cohort=cohort, sessions=clashes)},
        )


def _record_change(
    *, enrolment: Enrolment, from_status: str, by: User | None, at: dt.datetime, note: str
) -> EnrolmentStatusChange:
    change = EnrolmentStatusChange(
        enrolment=enrolment,
        from_status=from_status,
        to_status=enrolment.status,
        changed_by=by,
        changed_at=at,
        note=note,
    )
    try:
        # No person for a change the system makes itself (e.g. the waiting list moving up).
        change.full_clean(exclude=["changed_by"])
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc
    change.save()
    return change


@transaction.atomic
@audited("enrolment.create", subject="participant.user_id")
def enrolment_create(
    *,
    cohort: Cohort,
    participant: Participant,
    by: User | None,
    status: str = Enrolment.Status.INVITED,
    note: str = "",
    waitlist_if_full: bool = False,
    notify: bool = True,
) -> Enrolment:
    """Enrol (or invite) a participant into a cohort if it has a free place.

    A full cohort refuses, or with ``waitlist_if_full`` puts the person on its waiting list.
    People already waiting get free places first. Someone who attends another cohort meeting at
    the same time as one of this cohort's sessions is refused (``schedule`` names each clash).
    With ``notify`` the person is emailed after the commit: an invitation to set a password when
    they have none yet.
    """
    if status not in NEW_ENROLMENT_STATUSES:
        raise ApplicationError(
            field_errors={"status": [_("A new enrolment is either invited or enrolled.")]},
        )
    cohort = lock_cohort(cohort)
    now = timezone.now()
    enrolment = Enrolment(
        cohort=cohort,
        participant=participant,
        status=status,
        status_changed_at=now,
        status_changed_by=by,
    )
    model_full_clean(instance=enrolment)
    # The queue moves before a newcomer is placed (e.g. after the capacity was raised).
    cohort_waitlist_promote(cohort=cohort, by=by)
    if waitlist_if_full and cohort_places_taken(cohort=cohort) >= cohort.capacity:
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.waitlisted_at = now
    else:
        _ensure_place(cohort)
        # Someone waiting attends nothing yet: the clash is checked when they move up.
        _ensure_free_to_attend(cohort=cohort, participant=participant)
    enrolment.save()
    enrolment_member_sync(enrolment)
    _record_change(enrolment=enrolment, from_status="", by=by, at=now, note=note)
    if notify:
        _notify_on_commit(enrolment=enrolment, event=EVENT_ENROLLED)
    return enrolment


@transaction.atomic
@audited("enrolment.create", subject="participant.user_id")
def enrolment_create_for_person(
    *,
    cohort: Cohort,
    by: User | None,
    participant: Participant | None = None,
    email: str = "",
    profile: Mapping[str, Any] | None = None,
    status: str = Enrolment.Status.INVITED,
    note: str = "",
    waitlist_if_full: bool = False,
) -> Enrolment:
    """Enrol a participant, or the person with this email: someone new gets an account and a profile first.

    An existing participant is enrolled as they are: ``profile`` (names, agency, position, country,
    preferred language) only fills in a new person. A member of staff is refused by email: they
    are enrolled by choosing the participant profile given to them by hand.
    """
    if (participant is None) == (not email):
        raise ApplicationError(
            field_errors={"participant": [_("Give either an existing participant or a new person's email.")]}
        )
    if participant is None:
        email = user_email_normalise(email)
        refusal = staff_refusal(email, choose_profile=True)
        if refusal is not None:
            raise refusal
        participant, _created = participant_get_or_create(email=email, **dict(profile or {}))
    return enrolment_create(
        cohort=cohort, participant=participant, by=by, status=status, note=note, waitlist_if_full=waitlist_if_full
    )


def _new_notice() -> str:
    """The id of one notification: its tasks send each email once, however often they run."""
    return uuid.uuid4().hex


def _notify_on_commit(*, enrolment: Enrolment, event: str) -> None:
    # Through the outbox: the records are saved whatever the broker says, and the email is not lost.
    queue_on_commit(enrolment_notify_task, enrolment.pk, event, _new_notice())


def enrolment_notify_on_commit(*, enrolments: Iterable[Enrolment], event: str = EVENT_ENROLLED) -> None:
    """Email these people after the commit with one message to the broker (the worker fans out),
    so that a large roster import does not publish hundreds of times inside one request."""
    enrolment_ids = [enrolment.pk for enrolment in enrolments]
    if enrolment_ids:
        queue_on_commit(enrolment_notify_many_task, enrolment_ids, event, _new_notice())


@transaction.atomic
def cohort_waitlist_promote(*, cohort: Cohort, by: User | None, exclude: Iterable[int] = ()) -> list[Enrolment]:
    """Give the cohort's free places to its waiting list, first come first served.

    Each person moved up becomes invited, with a status change recorded (by ``by``, the person whose
    action freed the place, or nobody when the system does it) and an email. Someone whose other
    cohort meets at the same time as this one is passed over and stays waiting, in their place in
    the queue; their history says why. Call it whenever places free up: a withdrawal does
    (``enrolment_status_change``); after raising a cohort's capacity, call it from the participants
    layer (the cohort edit in ``trainings`` cannot).
    """
    cohort = lock_cohort(cohort)
    free = cohort.capacity - cohort_places_taken(cohort=cohort)
    if free <= 0:
        return []
    queue = Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.WAITLISTED).exclude(pk__in=list(exclude))
    clashes = participants_session_clashes(cohort=cohort, participants=queue.values("participant_id"))
    # At most one candidate per clashing person is passed over before the free places are filled.
    candidates = list(queue.select_related("participant__user").order_by("waitlisted_at", "pk")[: free + len(clashes)])
    now = timezone.now()
    promoted: list[Enrolment] = []
    passed_over = 0
    for enrolment in candidates:
        if len(promoted) >= free:
            break
        sessions = clashes.get(enrolment.participant_id)
        if sessions:
            _note_passed_over(enrolment=enrolment, cohort=cohort, sessions=sessions, by=by, at=now)
            passed_over += 1
            continue
        note = _("Moved up from the waiting list: a place became free.")
        if passed_over:
            note += " " + ngettext(
                "%(count)d person ahead stays waiting: expected elsewhere at the same time.",
                "%(count)d people ahead stay waiting: expected elsewhere at the same time.",
                passed_over,
            ) % {"count": passed_over}
        enrolment.status = Enrolment.Status.INVITED
        enrolment.status_changed_at = now
        enrolment.status_changed_by = by
        enrolment.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
        enrolment_member_sync(enrolment)
        _record_change(enrolment=enrolment, from_status=Enrolment.Status.WAITLISTED, by=by, at=now, note=note)
        _notify_on_commit(enrolment=enrolment, event=EVENT_PROMOTED)
        promoted.append(enrolment)
    audit_records(
        [
            {
                "action": "enrolment.promote",
                "target": e,
                "subject_id": e.participant.user_id,
                "detail": {"fields": ["status"]},
            }
            for e in promoted
        ]
    )
    return promoted


def _note_passed_over(
    *, enrolment: Enrolment, cohort: Cohort, sessions: list[Session], by: User | None, at: dt.datetime
) -> None:
    """Say in the person's history why they stay waiting (once, not at every free place)."""
    reason = " ".join(session_clash_messages(cohort=cohort, sessions=sessions))
    note = (_("Stays on the waiting list although a place is free: %(reason)s") % {"reason": reason})[:255]
    last = enrolment.status_changes.order_by("-changed_at", "-pk").values_list("note", flat=True).first()
    if last != note:
        _record_change(enrolment=enrolment, from_status=Enrolment.Status.WAITLISTED, by=by, at=at, note=note)


@audited("enrolment.invitation_resend", target="enrolment", subject="participant.user_id")
def enrolment_invitation_resend(*, enrolment: Enrolment) -> None:
    """Send the enrolment email again (with a fresh set-password link for someone without a password)."""
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ApplicationError(_("This person has withdrawn: there is nothing to send."))
    _notify_on_commit(enrolment=enrolment, event=EVENT_REMINDER)


@transaction.atomic
@audited("enrolment.status_change", target="enrolment", subject="participant.user_id")
def enrolment_status_change(*, enrolment: Enrolment, status: str, by: User | None, note: str = "") -> Enrolment:
    """Move an enrolment to another status and record who did it, and when.

    Becoming invited or enrolled again (from the waiting list, a withdrawal or a completion) is
    refused like a new enrolment when another cohort of the person meets at the same time.
    """
    if status not in Enrolment.Status.values:
        raise ApplicationError(field_errors={"status": [_("Unknown status.")]})
    cohort = lock_cohort(enrolment.cohort)
    enrolment.refresh_from_db(fields=["status"])
    previous = enrolment.status
    if status == previous:
        raise ApplicationError(
            field_errors={
                "status": [_("The enrolment is already “%(status)s”.") % {"status": Enrolment.Status(status).label}]
            }
        )
    if status not in STATUS_TRANSITIONS[previous]:
        raise ApplicationError(
            field_errors={
                "status": [
                    _("An enrolment that is “%(from)s” cannot become “%(to)s”.")
                    % {"from": Enrolment.Status(previous).label, "to": Enrolment.Status(status).label}
                ]
            }
        )
    if status in Enrolment.PLACE_STATUSES and previous not in Enrolment.PLACE_STATUSES:
        _ensure_place(cohort)
    if status in Enrolment.ATTENDING_STATUSES and previous not in Enrolment.ATTENDING_STATUSES:
        _ensure_free_to_attend(cohort=cohort, participant=enrolment.participant)
    now = timezone.now()
    enrolment.status = status
    enrolment.status_changed_at = now
    enrolment.status_changed_by = by
    fields = ["status", "status_changed_at", "status_changed_by", "updated_at"]
    if status == Enrolment.Status.WAITLISTED:
        enrolment.waitlisted_at = now
        fields.append("waitlisted_at")
    model_full_clean(instance=enrolment)
    enrolment.save(update_fields=fields)
    enrolment_member_sync(enrolment)
    _record_change(enrolment=enrolment, from_status=previous, by=by, at=now, note=note)
    if previous == Enrolment.Status.WAITLISTED and status in Enrolment.PLACE_STATUSES:
        _notify_on_commit(enrolment=enrolment, event=EVENT_PROMOTED)
    if previous in Enrolment.PLACE_STATUSES and status not in Enrolment.PLACE_STATUSES:
        # A place became free: the first person waiting gets it (not the one who just left it).
        cohort_waitlist_promote(cohort=cohort, by=by, exclude=[enrolment.pk])
    return enrolment
