"""Rate limits of the API sign-in (``POST /api/v1/auth/token/``).

Three limits apply, all in the shared cache:

- per client address (``token_login``): the address is ``REMOTE_ADDR``, or the entry that the
  last trusted proxy wrote into ``X-Forwarded-For`` (``CONCORD_TRUSTED_PROXY_COUNT``), never
  what the client wrote there itself;
- per account (``token_login_account``): every attempt for one email address, from any address;
- allauth's ``login_failed`` limit, shared with the HTML sign-in page (see ``accounts.api``).
"""

import hashlib
import unicodedata
from typing import cast

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView


def sign_in_key(email: str) -> str:
    """The account an attempt is counted against: NFKC, trimmed, lower case, as accounts store emails."""
    return unicodedata.normalize("NFKC", email).strip().lower()


class _SettingsRateThrottle(SimpleRateThrottle):
    """Reads its rate from the settings on each request (DRF's copy is taken at import)."""

    def get_rate(self) -> str | None:
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope or "")


class TokenLoginClientThrottle(_SettingsRateThrottle):
    scope = "token_login"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenLoginAccountThrottle(_SettingsRateThrottle):
    scope = "token_login_account"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        email = data.get("email") if hasattr(data, "get") else None
        if not isinstance(email, str) or not sign_in_key(email):
            return None  # nothing to sign in with: the serializer refuses it
        ident = hashlib.sha256(sign_in_key(email).encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
