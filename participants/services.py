"""Writes for participants and enrolments."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_get_or_create, user_grant_role
from core.exceptions import ApplicationError
from core.services import country_code_errors, model_apply, model_full_clean
from participants.models import Enrolment, EnrolmentStatusChange, Participant
from trainings.models import Agency, Cohort

PARTICIPANT_FIELDS = ("agency", "position", "country", "preferred_language")
USER_FIELDS = ("first_name", "last_name")
# A coordinator enrols someone directly or invites them; other statuses come from status changes.
NEW_ENROLMENT_STATUSES = (Enrolment.Status.INVITED, Enrolment.Status.ENROLLED)


# --- participants ----------------------------------------------------------------------------


@transaction.atomic
def participant_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
    position: str = "",
    country: str = "",
    preferred_language: str = "en",
) -> Participant:
    """Give a person (found by email, or created without a password) a participant profile and role."""
    user, _created = user_get_or_create(email=email, first_name=first_name, last_name=last_name)
    if Participant.objects.filter(user=user).exists():
        raise ApplicationError(
            field_errors={"email": [_("%(email)s already has a participant profile.") % {"email": user.email}]}
        )
    participant = Participant(
        user=user,
        agency=agency,
        position=position,
        country=country.upper(),
        preferred_language=preferred_language,
    )
    model_full_clean(instance=participant, errors=country_code_errors(country=country))
    participant.save()
    user_grant_role(user=user, role=Role.PARTICIPANT)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, data: Mapping[str, Any]) -> Participant:
    """Change a profile; ``first_name`` and ``last_name`` are stored on the person's user account."""
    data = dict(data)
    user_data = {field: data.pop(field) for field in USER_FIELDS if field in data}
    if "country" in data:
        data["country"] = data["country"].upper()
    user = participant.user
    user_changed = model_apply(instance=user, fields=USER_FIELDS, data=user_data)
    changed = model_apply(instance=participant, fields=PARTICIPANT_FIELDS, data=data)
    model_full_clean(instance=user, errors={})
    model_full_clean(instance=participant, errors=country_code_errors(country=participant.country))
    if user_changed:
        user.save(update_fields=user_changed)
    if changed:
        participant.save(update_fields=[*changed, "updated_at"])
    return participant


# --- enrolments ------------------------------------------------------------------------------


def cohort_places_taken(*, cohort: Cohort) -> int:
    """The one count of a cohort's taken places; the waiting list builds on it."""
    return Enrolment.objects.filter(cohort=cohort).holding_place().count()


def _lock_cohort(cohort: Cohort) -> Cohort:
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
    # No person for a change the system makes itself (e.g. the waiting list moving up).
    change.full_clean(exclude=["changed_by"])
    change.save()
    return change


@transaction.atomic
def enrolment_create(
    *,
    cohort: Cohort,
    participant: Participant,
    by: User | None,
    status: str = Enrolment.Status.INVITED,
    note: str = "",
) -> Enrolment:
    """Enrol (or invite) a participant into a cohort, if it has a free place."""
    if status not in NEW_ENROLMENT_STATUSES:
        raise ApplicationError(
            field_errors={"status": [_("A new enrolment is either invited or enrolled.")]},
        )
    cohort = _lock_cohort(cohort)
    now = timezone.now()
    enrolment = Enrolment(
        cohort=cohort,
        participant=participant,
        status=status,
        status_changed_at=now,
        status_changed_by=by,
    )
    model_full_clean(instance=enrolment)
    _ensure_place(cohort)
    enrolment.save()
    _record_change(enrolment=enrolment, from_status="", by=by, at=now, note=note)
    return enrolment


@transaction.atomic
def enrolment_status_change(*, enrolment: Enrolment, status: str, by: User | None, note: str = "") -> Enrolment:
    """Move an enrolment to another status and record who did it, and when."""
    if status not in Enrolment.Status.values:
        raise ApplicationError(field_errors={"status": [_("Unknown status.")]})
    cohort = _lock_cohort(enrolment.cohort)
    enrolment.refresh_from_db(fields=["status"])
    previous = enrolment.status
    if status == previous:
        raise ApplicationError(
            field_errors={
                "status": [_("The enrolment is already “%(status)s”.") % {"status": Enrolment.Status(status).label}]
            }
        )
    if status in Enrolment.PLACE_STATUSES and previous not in Enrolment.PLACE_STATUSES:
        _ensure_place(cohort)
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
    _record_change(enrolment=enrolment, from_status=previous, by=by, at=now, note=note)
    return enrolment
