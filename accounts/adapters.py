from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """People are invited by coordinators; nobody signs themselves up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
