"""API token authentication that keeps the second-factor rule: a token issued during a staff member's grace
period stops working when the grace period ends without a second factor."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from accounts.second_factor import second_factor_enforced


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, key: bytes) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if second_factor_enforced(user):
            raise exceptions.AuthenticationFailed(_("Your role requires a second factor: set one up on the web first."))
        return user, token


class TokenAuthenticationScheme(KnoxTokenScheme):
    """The API schema describes it as knox's token scheme."""

    target_class = "accounts.authentication.TokenAuthentication"
