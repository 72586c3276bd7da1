"""The rate limit of public verification: per client address, one counter for the page and the API.

The address is ``REMOTE_ADDR``, or the entry the last trusted proxy wrote into ``X-Forwarded-For``
(DRF's ``NUM_PROXIES``, set from ``CONCORD_TRUSTED_PROXY_COUNT``), as ``accounts.throttling`` does.
"""

from typing import Any, cast

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class CertificateVerifyThrottle(SimpleRateThrottle):
    scope = "certificate_verify"

    def get_rate(self) -> str | None:
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope or "")

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def verification_allowed(request: Any) -> tuple[bool, int | None]:
    """For a page (a Django request): whether this lookup is allowed, and else the seconds to wait."""
    throttle = CertificateVerifyThrottle()
    # A page has no APIView; the key reads only the request's address.
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return True, None
    wait = throttle.wait()
    return False, int(wait) + 1 if wait is not None else None
