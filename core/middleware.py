"""Middleware: the liveness probe and the request size limit (before Django's own), session idle
timeout, browser policies, the declared interface language."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from core.languages import request_language

LIVENESS_PATH = "/healthz/live"

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class LivenessMiddleware:
    """Answer the container's liveness probe before the host check and the HTTPS redirect.

    The probe comes from inside the container (``http://127.0.0.1:8000``): production's
    ``ALLOWED_HOSTS`` would answer 400 and ``SECURE_SSL_REDIRECT`` 301. It must be first in
    ``MIDDLEWARE`` and read nothing but the path. It only says the process serves requests;
    ``/healthz`` reports the database and the broker.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == LIVENESS_PATH and request.method in ("GET", "HEAD"):
            response = HttpResponse(b"ok", content_type="text/plain")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than ``CONCORD_MAX_REQUEST_BYTES`` by its ``Content-Length``, unread.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not cover file parts: without this, anyone can make the
    server spool a multipart body of any size to disk (even to the login page). It must come before
    anything that reads ``request.POST`` (CsrfViewMiddleware does). A body without a
    ``Content-Length`` (chunked) is refused too: Django under WSGI reads only ``Content-Length``
    bytes, so it would silently see an empty body. The reverse proxy limits the size as well.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        raw_length = (request.META.get("CONTENT_LENGTH") or "").strip()
        if raw_length:
            try:
                length = int(raw_length)
            except ValueError:
                length = -1
            if length < 0:
                return _refuse(request, 400, _("The Content-Length header is not a number."))
            if length > settings.CONCORD_MAX_REQUEST_BYTES:
                return _refuse(request, 413, _("The request is too large."))
        elif request.META.get("HTTP_TRANSFER_ENCODING"):
            return _refuse(request, 411, _("A request body needs a Content-Length header."))
        return self.get_response(request)


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    # No "Connection: close": WSGI forbids hop-by-hop headers; gunicorn's sync workers close anyway.
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from ``CONCORD_PERMISSIONS_POLICY``: feature -> allowed origins.

    An empty list is ``feature=()``: no page, nor anything framed in one, may use it.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy: dict[str, list[str]] = settings.CONCORD_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(origins)})" for feature, origins in policy.items()
            )
        return response


LAST_SEEN = "concord_last_seen"


def session_mark_active(session: SessionBase) -> None:
    """Start (or restart) a signed-in session's idle clock; sign-in calls it too."""
    session[LAST_SEEN] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Sign people out after ``CONCORD_SESSION_IDLE_SECONDS`` without a request.

    The session stores when it was last seen and is written at most every minute or so (not on
    every request, as ``SESSION_SAVE_EVERY_REQUEST`` would). ``SESSION_COOKIE_AGE`` is the same
    period, so the cookie and the stored session lapse with it. Sits between SessionMiddleware
    and AuthenticationMiddleware: an expired session is emptied before anyone reads the user.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = request.session
        if SESSION_KEY in session:
            idle = settings.CONCORD_SESSION_IDLE_SECONDS
            last_seen = session.get(LAST_SEEN)
            now = int(time.time())
            if isinstance(last_seen, int) and now - last_seen > idle:
                session.flush()  # signed out: pages ask to sign in again
            elif not isinstance(last_seen, int) or now - last_seen >= min(60, idle // 2):
                session_mark_active(session)
        return self.get_response(request)


class InterfaceLanguageMiddleware(LocaleMiddleware):
    """Pages are in one interface language and declared in it (WCAG 3.1.1).

    Replaces Django's ``LocaleMiddleware`` and comes after ``AuthenticationMiddleware``: the signed-in
    person's language (``User.language``) wins, then the ``django_language`` cookie, then the browser's
    ``Accept-Language``; only languages of ``CONCORD_UI_LANGUAGES`` (complete catalogues) are chosen
    (``core.languages.request_language``). Sign-in may ask for the cookie to be set
    (``LANGUAGE_COOKIE_REQUEST``). Certificates and e-mails choose their own language
    (``translation.override``).
    """

    def process_request(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        language = request_language(
            chosen=chosen,
            cookie=request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
            accept=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)  # type: ignore[arg-type]
        language = getattr(request, LANGUAGE_COOKIE_REQUEST, None)
        if language:
            language_cookie_set(response=response, language=language)
        return response


# Set on the request (by sign-in) to have the response carry this language's cookie.
LANGUAGE_COOKIE_REQUEST = "concord_language_cookie"


def language_cookie_set(*, response: HttpResponseBase, language: str) -> None:
    """The ``django_language`` cookie, as Django's ``set_language`` view writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
