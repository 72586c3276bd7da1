"""The facilitator console of a run: its phase clock, the buttons that move it, its injects, and quick observations."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.requests import acting_user
from audit.services import audit_read
from conduct import selectors, services
from conduct.forms import AdhocInjectForm, ObservationForm
from conduct.views.injects import ACTIONS as INJECT_ACTIONS
from conduct.views.injects import inject_post
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun

# The console's one extension button; the API takes any number of minutes within the limit.
EXTEND_MINUTES = 5


class RunConsoleView(ObjectPermissionMixin, View):
    """GET shows the clock; POST ``action`` (start, advance, pause, resume, extend, finish) moves it.
    The injects' actions (release, skip, adhoc, auto_release) are conduct.views.injects'.

    Coordinators and the run cohort's facilitators (``conduct.run_clock``): others who see the run
    get 403, everyone else 404. An advance carries the phase shown (``from_phase``).
    """

    template_name = "conduct/run_console.html"
    permission_required = "conduct.run_clock"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.object
        if run.auto_release_injects and run.status == ExerciseRun.Status.RUNNING:
            # Injects that fell due since the last beat tick (or with no worker, as in the demo) go out now.
            services.injects_release_due(run_ids=[run.pk])
        return self._page(ObservationForm(run=run))

    def _page(
        self, form: ObservationForm, status: int = 200, adhoc_form: AdhocInjectForm | None = None
    ) -> HttpResponse:
        run = self.object
        now = timezone.now()
        observations = selectors.run_observation_list(run=run, user=self.request.user)
        # One entry for the list, with the run and how many observations it showed.
        audit_read(action="observation.list", target=run, detail={"count": len(observations)})
        context = {
            "run": run,
            "clock": selectors.run_clock(run=run, now=now),
            "board": selectors.run_inject_board(run=run, now=now),
            "adhoc_form": adhoc_form or AdhocInjectForm(run=run),
            "extend": EXTEND_MINUTES,
            "form": form,
            "observations": observations,
            "me": acting_user(self.request),
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run, by = self.object, acting_user(request)
        if request.POST.get("action") == "observe":
            return self._observe(run, by)
        if request.POST.get("action") in INJECT_ACTIONS:
            adhoc_form = inject_post(request, run, by)
            if adhoc_form is not None:  # the typed inject stays in the form with its errors; nothing was sent
                return self._page(ObservationForm(run=run), status=400, adhoc_form=adhoc_form)
            return HttpResponseRedirect(reverse("conduct:run_console", kwargs={"pk": run.pk}) + "#injects-heading")
        actions: dict[str, Callable[[], Any]] = {
            "start": lambda: services.run_start(run=run, by=by),
            "advance": lambda: services.run_advance(run=run, from_phase=_int(request.POST.get("from_phase")), by=by),
            "pause": lambda: services.run_pause(run=run, by=by),
            "resume": lambda: services.run_resume(run=run, by=by),
            "extend": lambda: services.run_extend(run=run, minutes=EXTEND_MINUTES, by=by),
            "finish": lambda: services.run_finish(run=run, by=by),
        }
        action = actions.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Unknown action."))
        else:
            try:
                action()
            except ApplicationError as error:
                for message in error.messages:
                    messages.error(request, message)
        # Post/redirect/get: a reload shows the server's clock and never repeats the press.
        return HttpResponseRedirect(reverse("conduct:run_console", kwargs={"pk": run.pk}))

    def _observe(self, run: ExerciseRun, by: Any) -> HttpResponse:
        form = ObservationForm(self.request.POST, run=run)
        if form.is_valid():
            try:
                services.observation_create(run=run, by=by, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(self.request, _("Observation saved."))
                return HttpResponseRedirect(reverse("conduct:run_console", kwargs={"pk": run.pk}))
        # The typed note stays in the form with its errors; nothing was saved.
        return self._page(form, status=400)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
