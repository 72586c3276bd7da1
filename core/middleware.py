"""Middleware that must answer before Django's own: the liveness probe."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

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
