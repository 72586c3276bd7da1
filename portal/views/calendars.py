"""Calendar pages: the token feed (no sign-in), one-off .ics downloads, and the pages that manage feeds."""

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.permissions import object_for
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.models import CalendarFeed
from trainings.models import Cohort, Session

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def ics_response(request: HttpRequest, content: bytes, *, filename: str, attachment: bool) -> HttpResponseBase:
    """Serve iCalendar bytes; calendar programs poll, so an unchanged calendar answers 304."""
    etag = quote_etag(hashlib.sha256(content).hexdigest())
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["ETag"] = etag
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    # Private: the schedule is for the people of the cohort, not for shared caches.
    patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=etag, response=response) or response


@require_safe
def calendar_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    """A subscribed feed. Calendar programs cannot sign in: the unguessable token in the URL is the key."""
    feed = calendars.calendar_feed_get_live(token=slug)
    if feed is None:
        raise Http404
    response = ics_response(
        request, calendars.calendar_feed_content(feed=feed), filename="concord.ics", attachment=False
    )
    # The token is a secret: keep it out of search engines and out of Referer headers.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- one-off downloads, from the same builder ----------------------------------------------------


@login_required
@require_safe
def cohort_ics(request: HttpRequest, slug: str) -> HttpResponseBase:
    user = acting_user(request)
    cohort = object_for(user=user, queryset=Cohort.objects.visible_to(user), perm="trainings.view_cohort", slug=slug)
    content = calendars.calendar_cohort_ics(cohort=cohort, person=user)
    return ics_response(request, content, filename=f"{cohort.slug}.ics", attachment=True)


@login_required
@require_safe
def session_ics(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = acting_user(request)
    session = object_for(
        user=user,
        queryset=Session.objects.visible_to(user).select_related("cohort"),
        perm="trainings.view_session",
        pk=pk,
    )
    content = calendars.calendar_session_ics(session=session, person=user)
    return ics_response(request, content, filename=f"session-{session.pk}.ics", attachment=True)


@login_required
@require_safe
def run_ics(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = acting_user(request)
    run = object_for(
        user=user,
        queryset=ExerciseRun.objects.visible_to(user).select_related("exercise"),
        perm="exercises.view_exerciserun",
        pk=pk,
    )
    content = calendars.calendar_run_ics(run=run, person=user)
    if content is None:
        raise Http404(_("This exercise run is not in a session yet, so it has no time to put in a calendar."))
    return ics_response(request, content, filename=f"run-{run.pk}.ics", attachment=True)


# --- managing feeds ------------------------------------------------------------------------------


class FeedActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("create", gettext_lazy("Create")),
            ("renew", gettext_lazy("Renew")),
            ("revoke", gettext_lazy("Revoke")),
        ]
    )


DONE = {
    "create": gettext_lazy("The calendar feed is ready. Add its address to your calendar program."),
    "renew": gettext_lazy("The calendar feed has a new address. The old one no longer works."),
    "revoke": gettext_lazy("The calendar feed is revoked. Its address no longer works."),
}


class FeedActionsMixin:
    """GET shows the live feed and its addresses; POST creates, renews or revokes it, then redirects.

    Finding what the feed belongs to (and refusing) is the view's own business, done before this runs.
    """

    request: HttpRequest

    def live_feed(self) -> CalendarFeed | None:
        raise NotImplementedError

    def create_feed(self) -> CalendarFeed:
        raise NotImplementedError

    def feed_context(self) -> dict[str, Any]:
        feed = self.live_feed()
        return {
            "feed": feed,
            "feed_url": calendars.calendar_feed_url(feed=feed) if feed else "",
            "webcal_url": calendars.calendar_feed_webcal_url(feed=feed) if feed else "",
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = FeedActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose create, renew or revoke."))
            return HttpResponseRedirect(request.path)
        action = form.cleaned_data["action"]
        feed = self.live_feed()
        try:
            if action == "create":
                self.create_feed()
            elif feed is None:
                raise ApplicationError(_("There is no live calendar feed to change."))
            elif action == "renew":
                feeds.calendar_feed_renew(feed=feed, by=acting_user(request))
            else:
                feeds.calendar_feed_revoke(feed=feed)
        except ApplicationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, DONE[action])
        return HttpResponseRedirect(request.path)


class MyCalendarView(LoginRequiredMixin, FeedActionsMixin, TemplateView):
    """Everyone signed in keeps one personal feed: the sessions and runs of their cohorts."""

    template_name = "portal/calendar_feeds.html"
    extra_context = {"section": "calendar"}

    def live_feed(self) -> CalendarFeed | None:
        return calendars.calendar_feed_live_for_user(user=acting_user(self.request))

    def create_feed(self) -> CalendarFeed:
        return feeds.calendar_feed_create(by=acting_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.feed_context()}


class CohortCalendarView(ObjectPermissionMixin, FeedActionsMixin, TemplateView):
    """A cohort's feed, which coordinators hand out; the cohort's other people see 403, strangers 404."""

    template_name = "portal/cohort_calendar.html"
    extra_context = {"section": "cohorts"}
    permission_required = "portal.manage_cohort_calendar"
    lookup_field = lookup_url_kwarg = "slug"
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user)

    def live_feed(self) -> CalendarFeed | None:
        return calendars.calendar_feed_live_for_cohort(cohort=self.object)

    def create_feed(self) -> CalendarFeed:
        return feeds.calendar_feed_create(by=acting_user(self.request), cohort=self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "cohort": self.object, **self.feed_context()}
