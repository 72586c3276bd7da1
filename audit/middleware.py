from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from audit.context import acting_request


class AuditContextMiddleware:
    """Entries written while a request is served name its person, network and client family."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with acting_request(request):
            return self.get_response(request)
