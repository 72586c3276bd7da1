"""A new password revokes every API token of the account. Signing in starts the session's idle clock,
records whether the person needs a second factor (accounts.second_factor) and applies their language.

``User.save`` does it whenever ``set_password`` was called (admin, ``changepassword``, allauth);
allauth's signals say so explicitly for its password change, set and reset flows.

Sign-ins, failed sign-ins, second-factor changes and password changes go into the audit trail, by ids
only: a failed sign-in names the account its address matched, never the address typed.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import translation

from accounts.models import User
from accounts.second_factor import second_factor_remember, second_factor_status
from accounts.services import api_tokens_revoke, user_email_normalise, user_first_login_record
from audit.services import audit_record
from core.exceptions import ApplicationError
from core.languages import ui_language
from core.middleware import LANGUAGE_COOKIE_REQUEST, session_mark_active


@receiver(password_changed, dispatch_uid="accounts_revoke_tokens_on_password_changed")
@receiver(password_set, dispatch_uid="accounts_revoke_tokens_on_password_set")
@receiver(password_reset, dispatch_uid="accounts_revoke_tokens_on_password_reset")
def revoke_api_tokens(sender: Any, user: Any, **kwargs: Any) -> None:
    api_tokens_revoke(user=user)


@receiver(user_logged_in, dispatch_uid="accounts_start_idle_clock")
def start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session_mark_active(session)


@receiver(user_logged_in, dispatch_uid="accounts_second_factor_at_sign_in")
def second_factor_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    user_first_login_record(user=user)
    session = getattr(request, "session", None)
    if session is not None:
        second_factor_remember(session, second_factor_status(user))


@receiver(authenticator_added, dispatch_uid="accounts_second_factor_added")
@receiver(authenticator_removed, dispatch_uid="accounts_second_factor_removed")
def second_factor_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and getattr(request, "user", None) == user:
        second_factor_remember(session, second_factor_status(user))


@receiver(user_logged_in, dispatch_uid="accounts_apply_language")
def apply_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The person's language from now on: this response (the redirect after sign-in) and its cookie,
    which stays after signing out (core.middleware.InterfaceLanguageMiddleware writes it)."""
    language = ui_language(getattr(user, "language", ""))
    if request is None or language is None:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    setattr(request, LANGUAGE_COOKIE_REQUEST, language)


@receiver(user_logged_in, dispatch_uid="accounts_audit_sign_in")
def audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.sign_in", target=user, subject_id=user.pk, actor_id=user.pk)


@receiver(user_login_failed, dispatch_uid="accounts_audit_sign_in_failed")
def audit_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    typed = str(credentials.get("email") or credentials.get("username") or "")
    try:
        email = user_email_normalise(typed) if typed else ""
    except ApplicationError:  # an address no account can have (invisible characters): nobody's
        email = ""
    user_id = User.objects.filter(email=email).values_list("pk", flat=True).first() if email else None
    audit_record(action="auth.sign_in_failed", subject_id=user_id, actor_id=None)


@receiver(authenticator_added, dispatch_uid="accounts_audit_factor_added")
def audit_factor_added(sender: Any, user: Any, authenticator: Any, request: Any = None, **kwargs: Any) -> None:
    _factor("second_factor.add", user, authenticator, request)


@receiver(authenticator_removed, dispatch_uid="accounts_audit_factor_removed")
def audit_factor_removed(sender: Any, user: Any, authenticator: Any, request: Any = None, **kwargs: Any) -> None:
    _factor("second_factor.remove", user, authenticator, request)


@receiver(authenticator_reset, dispatch_uid="accounts_audit_factor_reset")
def audit_factor_reset(sender: Any, user: Any, authenticator: Any, request: Any = None, **kwargs: Any) -> None:
    _factor("second_factor.renew", user, authenticator, request)


def _factor(action: str, user: Any, authenticator: Any, request: Any) -> None:
    target = ("mfa.authenticator", authenticator.pk) if authenticator is not None else None
    kind = str(getattr(authenticator, "type", ""))
    # allauth sends these after its commit, which may come after the request's audit context ended.
    acting_user = getattr(request, "user", None)
    actor_id = acting_user.pk if acting_user is not None and acting_user.is_authenticated else user.pk
    audit_record(action=action, target=target, subject_id=user.pk, detail={"kind": kind}, actor_id=actor_id)


@receiver(password_changed, dispatch_uid="accounts_audit_password_changed")
@receiver(password_set, dispatch_uid="accounts_audit_password_set")
@receiver(password_reset, dispatch_uid="accounts_audit_password_reset")
def audit_password(sender: Any, user: Any, signal: Any = None, **kwargs: Any) -> None:
    verb = {password_changed: "change", password_set: "set", password_reset: "reset"}.get(signal, "change")
    audit_record(action=f"password.{verb}", target=user, subject_id=user.pk)
