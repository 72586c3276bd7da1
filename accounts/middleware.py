"""Staff past their grace period without a second factor may only set one up (accounts.second_factor)."""

import contextlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.second_factor import second_factor_recall, second_factor_remember, second_factor_status

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class SecondFactorMiddleware:
    """Sets ``request.second_factor`` (a ``SecondFactorStatus`` or None) for pages and the banner.

    When it is enforced, every page but the account's own (sign out, password, second factor, sessions),
    the language switch and static files redirects to the second-factor page; the API answers 403.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.second_factor = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            status = second_factor_recall(request.session)
            if status is None:
                status = second_factor_status(user)
                second_factor_remember(request.session, status)
            request.second_factor = status  # type: ignore[attr-defined]
            if status.enforced and not _always_allowed(request.path):
                message = _("Your role requires a second factor. Set one up to go on.")
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": message, "code": "second_factor_required"}, status=403)
                messages.warning(request, message)
                return redirect("mfa_index")
        return self.get_response(request)


def _always_allowed(path: str) -> bool:
    prefixes = [reverse("account_login").rsplit("/", 2)[0] + "/", settings.STATIC_URL]  # allauth's "/accounts/"
    with contextlib.suppress(NoReverseMatch):  # when no language switch is mounted
        prefixes.append(reverse("set_language"))
    return path.startswith(tuple(prefixes))
