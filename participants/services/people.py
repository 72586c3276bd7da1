"""Writes for people: participant profiles, found or created by email.

Every address and name goes through ``accounts.services`` (``core.text`` underneath), so the
enrol page, the API and the roster import agree on who is who. A member of staff is never given a
profile, nor renamed, by their address alone (the roster import's rule).
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import (
    user_email_normalise,
    user_get_or_create,
    user_grant_role,
    user_names_normalise,
    user_names_update,
)
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.services import country_code_errors, model_apply, model_full_clean
from participants.models import Participant
from participants.selectors import staff_emails
from trainings.models import Agency

PARTICIPANT_FIELDS = ("agency", "position", "country")
USER_FIELDS = ("first_name", "last_name")
# The profile's language is the account's (accounts.User.language), under its wire name.
LANGUAGE_FIELD = "preferred_language"


def staff_refusal(email: str, *, choose_profile: bool = False) -> ApplicationError | None:
    """The refusal for a member of staff's address, or None for anyone else."""
    if not staff_emails(emails=[email]):
        return None
    if choose_profile:
        message = _(
            "This address belongs to a member of staff; enrol staff by hand: choose their participant profile instead."
        )
    else:
        message = _(
            "This address belongs to a member of staff: an address alone never makes staff a participant. "
            "Give them a participant profile by hand (in the admin)."
        )
    return ApplicationError(field_errors={"email": [message]})


def _participant_get_or_make(*, user: User, profile: Mapping[str, Any]) -> tuple[Participant, bool]:
    """The user's profile, or a new one with ``profile``; safe when two requests make it at once."""
    existing = Participant.objects.filter(user=user).first()
    if existing is not None:
        return existing, False
    country = profile.get("country") or ""
    participant = Participant(
        user=user,
        agency=profile.get("agency"),
        position=profile.get("position") or "",
        country=country.upper(),
    )
    model_full_clean(instance=participant, errors=country_code_errors(country=country))

    # A new profile's language, when given, becomes the account's.
    language_changed = model_apply(instance=user, fields=["language"], data=_language_data(profile))
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a duplicate
            participant.save()
    except IntegrityError:
        existing = Participant.objects.filter(user=user).first()
        if existing is None:
            raise
        return existing, False
    if language_changed:
        user.save(update_fields=language_changed)
    user_grant_role(user=user, role=Role.PARTICIPANT)
    return participant, True


def _language_data(data: Mapping[str, Any]) -> dict[str, str]:
    """``{"language": …}`` from a profile's ``preferred_language``, when it names one of ``LANGUAGES``."""
    language = data.get(LANGUAGE_FIELD)
    if not language:
        return {}
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ApplicationError(field_errors={LANGUAGE_FIELD: [_("Choose one of the languages offered.")]})
    return {"language": language}


def _person_get_or_create(*, email: str, profile: Mapping[str, Any]) -> tuple[Participant, bool]:
    email = user_email_normalise(email)
    refusal = staff_refusal(email)
    if refusal is not None:
        raise refusal
    names = {field: profile.get(field) or "" for field in USER_FIELDS}
    user, created = user_get_or_create(email=email, **names)
    if not created and not Participant.objects.filter(user=user).exists():
        # An account without a profile takes the names given, as a roster row would.
        user_names_update(user=user, **names)
    return _participant_get_or_make(user=user, profile=profile)


@transaction.atomic
@audited("participant.create", subject="user_id")
def participant_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
    position: str = "",
    country: str = "",
    preferred_language: str = "",
) -> Participant:
    """Give a person (found by email, or created without a password) a participant profile and role.

    An existing account without a profile takes the names given; staff addresses are refused.
    """
    profile = {
        "first_name": first_name,
        "last_name": last_name,
        "agency": agency,
        "position": position,
        "country": country,
        "preferred_language": preferred_language,
    }
    participant, created = _person_get_or_create(email=email, profile=profile)
    if not created:
        raise ApplicationError(
            field_errors={
                "email": [_("%(email)s already has a participant profile.") % {"email": participant.user.email}]
            }
        )
    return participant


@transaction.atomic
def participant_get_or_create(*, email: str, **profile: Any) -> tuple[Participant, bool]:
    """The participant with this email, as they are; or a new one with ``profile``. Staff are refused."""
    existing = Participant.objects.select_related("user").filter(user__email=user_email_normalise(email)).first()
    if existing is not None:
        return existing, False
    return _person_get_or_create(email=email, profile=profile)


@transaction.atomic
@audited("participant.update", target="participant", subject="user_id")
def participant_update(*, participant: Participant, data: Mapping[str, Any]) -> Participant:
    """Change a profile; ``first_name`` and ``last_name`` are stored on the person's user account."""
    data = dict(data)
    user_data = {field: data.pop(field) for field in USER_FIELDS if field in data}
    if user_data:
        user_data = user_names_normalise(**user_data)
    user_data.update(_language_data(data))
    data.pop(LANGUAGE_FIELD, None)
    if "country" in data:
        data["country"] = data["country"].upper()
    user = participant.user
    user_changed = model_apply(instance=user, fields=(*USER_FIELDS, "language"), data=user_data)
    changed = model_apply(instance=participant, fields=PARTICIPANT_FIELDS, data=data)
    model_full_clean(instance=user, errors={})
    model_full_clean(instance=participant, errors=country_code_errors(country=participant.country))
    if user_changed:
        user.save(update_fields=user_changed)
    if changed:
        participant.save(update_fields=[*changed, "updated_at"])
    return participant
