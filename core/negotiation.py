"""JSON only outside DEBUG (REST_FRAMEWORK's DEFAULT_CONTENT_NEGOTIATION_CLASS).

A module of its own: DRF imports it while ``rest_framework.views`` is still loading.
"""

from collections.abc import Iterable

from django.conf import settings
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer
from rest_framework.request import Request


class ContentNegotiation(DefaultContentNegotiation):
    """JSON only outside DEBUG: the browsable API (HTML, ``?format=api``) is a developer's tool.

    Read at each request, so a test can switch DEBUG; an unknown ``format`` answers 404 as DRF's does.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        offered = list(renderers)
        if not settings.DEBUG:
            offered = [r for r in offered if not isinstance(r, BrowsableAPIRenderer)] or offered[:1]
        return super().select_renderer(request, offered, format_suffix)
