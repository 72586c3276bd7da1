"""A run's debrief pages for its staff: the timeline of everything that happened, and the run summary."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from audit.services import audit_read
from conduct import selectors
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun


class _DebriefView(ObjectPermissionMixin, View):
    """Coordinators and the run cohort's facilitators (``conduct.debrief_run``): others who see the run
    (its participants) get 403, everyone else 404."""

    permission_required = "conduct.debrief_run"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)


class RunTimelineView(_DebriefView):
    """Everything in time order, newest last; the "refresh" link reloads it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = {
            "run": self.object,
            "entries": selectors.run_timeline(run=self.object, user=request.user),
            "now": timezone.now(),
        }
        audit_read(action="run_timeline.view", target=self.object)
        return render(request, "conduct/run_timeline.html", context)


class RunSummaryView(_DebriefView):
    """The on-screen debrief. ``?shared=1`` keeps only the observations that may be shown in the debrief."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        shared = request.GET.get("shared") == "1"
        run = self.object
        context = {
            "run": run,
            "summary": selectors.run_summary(run=run, user=request.user, now=timezone.now(), shareable_only=shared),
            "hotwash": selectors.run_hotwash_list(run=run, user=request.user),
            "shared": shared,
        }
        audit_read(action="run_summary.view", target=run, detail={"shared": shared})
        return render(request, "conduct/run_summary.html", context)
