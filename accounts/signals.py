"""A new password revokes every API token of the account.

``User.save`` does it whenever ``set_password`` was called (admin, ``changepassword``, allauth);
allauth's signals say so explicitly for its password change, set and reset flows.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from accounts.services import api_tokens_revoke


@receiver(password_changed, dispatch_uid="accounts_revoke_tokens_on_password_changed")
@receiver(password_set, dispatch_uid="accounts_revoke_tokens_on_password_set")
@receiver(password_reset, dispatch_uid="accounts_revoke_tokens_on_password_reset")
def revoke_api_tokens(sender: Any, user: Any, **kwargs: Any) -> None:
    api_tokens_revoke(user=user)
