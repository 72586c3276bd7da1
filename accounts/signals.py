"""A new password revokes every API token of the account; signing in starts the session's idle clock.

``User.save`` does it whenever ``set_password`` was called (admin, ``changepassword``, allauth);
allauth's signals say so explicitly for its password change, set and reset flows.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.services import api_tokens_revoke
from core.middleware import session_mark_active


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
