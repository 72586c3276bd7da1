from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from accounts.languages import user_language
from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """People are invited by coordinators; nobody signs themselves up. allauth's e-mails (the password
    reset) go out in the recipient's language."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        # Nobody with that address: the language the request was answered in.
        with translation.override(user_language(user, fallback=translation.get_language())):
            super().send_mail(template_prefix, email, context)
