"""Calendar pages: the token feed (no sign-in), one-off .ics downloads, and the pages that manage feeds."""

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun
from portal import calendars
from portal.models import CalendarFeed
from trainings.models import Cohort, Session
from trainings.selectors import cohort_get

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
    cohort = cohort_get(user=request.user, slug=slug)
    if cohort is None:
        raise Http404
    content = calendars.calendar_build(
        name=cohort.name,
        uid=f"cohort-{cohort.pk}@{calendars.site_host()}",
        events=calendars.calendar_cohort_events(cohort=cohort, person=request.user),
    )
    return ics_response(request, content, filename=f"{cohort.slug}.ics", attachment=True)


@login_required
@require_safe
def session_ics(request: HttpRequest, pk: int) -> HttpResponseBase:
    session = Session.objects.visible_to(request.user).select_related("cohort").filter(pk=pk).first()
    if session is None:
        raise Http404
    content = calendars.calendar_build(
        name=session.title,
        uid=calendars.session_uid(session.pk),
        events=calendars.calendar_session_events(session=session, person=request.user),
    )
    return ics_response(request, content, filename=f"session-{session.pk}.ics", attachment=True)


@login_required
@require_safe
def run_ics(request: HttpRequest, pk: int) -> HttpResponseBase:
    run = ExerciseRun.objects.visible_to(request.user).select_related("exercise").filter(pk=pk).first()
    if run is None:
        raise Http404
    events = calendars.calendar_run_events(run=run, person=request.user)
    if not events:
        raise Http404(_("This exercise run is not in a session yet, so it has no time to put in a calendar."))
    content = calendars.calendar_build(name=run.exercise.name, uid=calendars.run_uid(run.pk), events=events)
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


class FeedPageMixin(LoginRequiredMixin):
    """GET shows the live feed and its addresses; POST creates, renews or revokes it, then redirects."""

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
                calendars.calendar_feed_renew(feed=feed, by=acting_user(request))
            else:
                calendars.calendar_feed_revoke(feed=feed)
        except (ApplicationError, ValidationError) as error:
            for message in error.messages if isinstance(error, ValidationError) else [error.message]:
                messages.error(request, message)
        else:
            messages.success(request, DONE[action])
        return HttpResponseRedirect(request.path)


class MyCalendarView(FeedPageMixin, TemplateView):
    """Everyone signed in keeps one personal feed: the sessions and runs of their cohorts."""

    template_name = "portal/calendar_feeds.html"
    extra_context = {"section": "calendar"}

    def live_feed(self) -> CalendarFeed | None:
        return calendars.calendar_feed_live_for_user(user=self.request.user)

    def create_feed(self) -> CalendarFeed:
        return calendars.calendar_feed_create(by=acting_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.feed_context()}


class CohortCalendarView(FeedPageMixin, TemplateView):
    """A cohort's feed, which coordinators hand out; the cohort's other people see 403, strangers 404."""

    template_name = "portal/cohort_calendar.html"
    extra_context = {"section": "cohorts"}
    cohort: Cohort

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            cohort = cohort_get(user=request.user, slug=kwargs["slug"])
            if cohort is None:
                raise Http404
            if not request.user.has_perm("portal.manage_cohort_calendar", cohort):
                raise PermissionDenied
            self.cohort = cohort
        return super().dispatch(request, *args, **kwargs)

    def live_feed(self) -> CalendarFeed | None:
        return calendars.calendar_feed_live_for_cohort(cohort=self.cohort)

    def create_feed(self) -> CalendarFeed:
        return calendars.calendar_feed_create(by=acting_user(self.request), cohort=self.cohort)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "cohort": self.cohort, **self.feed_context()}
