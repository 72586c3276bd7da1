"""A new password revokes every API token of the account; signing in starts the session's idle clock
records whether the person needs a second factor (accounts.second_factor) and applies their language.

``User.save`` does it whenever ``set_password`` was called (admin, ``changepassword``, allauth);
allauth's signals say so explicitly for its password change, set and reset flows.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from accounts.second_factor import second_factor_remember, second_factor_status
from accounts.services import api_tokens_revoke, user_first_login_record
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
