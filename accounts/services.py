import logging

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.models import Role, User
from accounts.roles import forget_roles
from audit.services import audit_record
from core.exceptions import ApplicationError
from core.text import normalise_email, normalise_name

logger = logging.getLogger(__name__)


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> User:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    forget_roles(user)
    audit_record(action="user.grant_role", target=user, subject_id=user.pk, detail={"role": role.value})
    return user


def user_email_normalise(email: str) -> str:
    """An address as accounts store and compare it: ``core.text.normalise_email`` (NFKC, invisible
    characters refused), in lower case like ``User.save``. Refused with ``ApplicationError`` on ``email``."""
    try:
        return normalise_email(email).lower()
    except ValidationError as exc:
        raise ApplicationError(field_errors={"email": exc.messages}) from exc


def user_names_normalise(**names: str) -> dict[str, str]:
    """``first_name``/``last_name`` as stored (``core.text.normalise_name``); every refusal at once, by field."""
    cleaned, errors = {}, {}
    for field, value in names.items():
        try:
            cleaned[field] = normalise_name(value or "")
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ApplicationError(field_errors=errors)
    return cleaned


@transaction.atomic
def user_get_or_create(*, email: str, first_name: str = "", last_name: str = "") -> tuple[User, bool]:
    """Find a person by email or create them, with these names, without a usable password.

    An existing account is returned as it is: whether its names may change is the caller's rule
    (``user_names_update``), so that, e.g., a member of staff is never renamed by an address alone.
    Safe when two requests create the same person at once: the second finds the first's account.
    """
    email = user_email_normalise(email)
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User(email=email, **user_names_normalise(first_name=first_name, last_name=last_name))
    user.set_unusable_password()
    try:
        # The unique address is left to the database: a check before the insert races.
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a duplicate
            user.save()
    except IntegrityError:
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise
        return existing, False
    audit_record(action="user.create", target=user, subject_id=user.pk)
    return user, True


@transaction.atomic
def user_names_update(*, user: User, first_name: str = "", last_name: str = "") -> list[str]:
    """Replace the names given (an empty one keeps what is stored); the fields that changed."""
    names = user_names_normalise(first_name=first_name, last_name=last_name)
    changed = [field for field, value in names.items() if value and getattr(user, field) != value]
    for field in changed:
        setattr(user, field, names[field])
    if changed:
        try:
            user.full_clean(exclude=["password"], validate_unique=False)
        except ValidationError as exc:
            raise ApplicationError.from_validation_error(exc) from exc
        user.save(update_fields=changed)
        audit_record(action="user.update", target=user, subject_id=user.pk, detail={"fields": changed})
    return changed


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for ``user``: the stored row (a digest only) and the token, shown once.

    Expired tokens of the account are dropped, and the oldest live ones beyond
    ``CONCORD_API_TOKENS_PER_USER`` make room for the new one.
    """
    # Two sign-ins at once must not both keep the oldest token: they queue on the account's row.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lte=timezone.now()).delete()
    keep = max(settings.CONCORD_API_TOKENS_PER_USER - 1, 0)
    surplus = list(tokens.order_by("-created", "-digest").values_list("digest", flat=True)[keep:])
    if surplus:
        AuthToken.objects.filter(digest__in=surplus).delete()
    created = AuthToken.objects.create(user=user)
    # The token's public key prefix names it; the secret never enters the trail.
    audit_record(action="api_token.issue", target=("knox.authtoken", created[0].token_key), subject_id=user.pk)
    return created


def api_tokens_revoke(*, user: User, token_key: str | None = None) -> int:
    """Revoke one of ``user``'s API tokens (by its public ``token_key``) or, without a key, all of them."""
    tokens = AuthToken.objects.filter(user=user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    deleted, _ = tokens.delete()
    if deleted:
        audit_record(
            action="api_token.revoke",
            target=("knox.authtoken", token_key) if token_key else None,
            subject_id=user.pk,
            detail={"count": deleted},
        )
    return deleted


def user_first_login_record(*, user: User) -> None:
    """Remember the first sign-in (the second factor's grace period counts from it); later ones change nothing."""
    if user.first_login_at is None:
        now = timezone.now()
        # A conditional update: two first sign-ins at once keep the earlier time.
        if User.objects.filter(pk=user.pk, first_login_at__isnull=True).update(first_login_at=now):
            user.first_login_at = now


@transaction.atomic
def user_second_factor_reset(*, user: User, by: User, reason: str) -> int:
    """Remove a person's second factors (a lost phone or key) and end their sessions; returns how many
    factors went. They set up a new one at their next sign-in if their role requires it."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(field_errors={"reason": [_("Say why the second factor is reset.")]})
    if user.pk == by.pk:
        raise ApplicationError(_("You cannot reset your own second factor; ask another coordinator."))
    removed, _by_type = Authenticator.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()
    api_tokens_revoke(user=user)
    logger.info("second factor reset: user=%s by=%s", user.pk, by.pk)
    # The reason is free text that may name people: only its length is kept, to show one was given.
    audit_record(
        action="second_factor.reset",
        target=user,
        subject_id=user.pk,
        detail={"count": removed, "reason_length": len(reason)},
    )
    return removed


def user_language_set(*, user: User, language: str) -> User:
    """Choose the person's language (blank: none, the browser's); refused unless one of ``LANGUAGES``."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise ApplicationError(field_errors={"language": [_("Choose one of the languages offered.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
