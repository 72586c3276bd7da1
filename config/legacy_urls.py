"""Addresses from before the pages were grouped by resource (/cohorts/<slug>/…, /runs/<id>/…).

Each answers 301 to its new address, query string kept. Calendar feeds are served in place, not
redirected: people subscribed to them, and some calendar clients do not follow redirects.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import path, re_path

from portal.views import calendars

Redirect = Callable[..., HttpResponsePermanentRedirect]


def moved_to(template: str) -> Redirect:
    """A view answering 301 to ``template`` filled with the URL's arguments, query string kept."""

    def redirect(request: HttpRequest, **kwargs: Any) -> HttpResponsePermanentRedirect:
        target = template
        for key, value in kwargs.items():
            # Never "//host": a leading slash or backslash in the old path must not leave the site.
            target = target.replace(f"{{{key}}}", str(value).lstrip("/\\"))
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    return redirect


app_name = "legacy"

urlpatterns = [
    path("participants/calendar/<slug:slug>.ics", calendars.calendar_feed, name="calendar_feed"),
    path("participants/calendar/cohorts/<slug:slug>/", moved_to("/cohorts/{slug}/calendar/"), name="cohort_calendar"),
    path("participants/ics/cohorts/<slug:slug>.ics", moved_to("/cohorts/{slug}/calendar.ics"), name="cohort_ics"),
    path("participants/ics/sessions/<int:pk>.ics", moved_to("/sessions/{pk}/calendar.ics"), name="session_ics"),
    path("participants/ics/runs/<int:pk>.ics", moved_to("/runs/{pk}/calendar.ics"), name="run_ics"),
    re_path(r"^participants/(?P<rest>.*)$", moved_to("/{rest}"), name="participants"),
    re_path(r"^trainings/(?P<rest>.*)$", moved_to("/{rest}"), name="trainings"),
    re_path(r"^exercises/(?P<rest>(?:runs|cohorts|courses)/.*)$", moved_to("/{rest}"), name="exercises"),
]
