"""Changing one's own observation of a run (the console lists them and records new ones)."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.requests import acting_user
from audit.services import audit_read
from conduct import selectors, services
from conduct.forms import ObservationForm
from conduct.models import Observation
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin


class ObservationEditView(ObjectPermissionMixin, View):
    """The author's form for one observation (``conduct.change_observation``): others who see it get 403."""

    template_name = "conduct/observation_edit.html"
    permission_required = "conduct.change_observation"
    lookup_url_kwarg = "observation_pk"
    object: Observation

    def get_permission_queryset(self) -> QuerySet[Observation]:
        return selectors.observation_queryset(user=self.request.user).filter(run_id=self.kwargs["pk"])

    def get(self, request: HttpRequest, pk: int, observation_pk: int) -> HttpResponse:
        observation = self.object
        audit_read(action="observation.view", target=observation)
        initial = {
            "team": observation.team_id,
            "rating": observation.rating,
            "objective": observation.objective_id,
            "inject": observation.inject_id,
            "text": observation.text,
            "shareable": observation.shareable,
        }
        return self._page(ObservationForm(initial=initial, run=observation.run))

    def post(self, request: HttpRequest, pk: int, observation_pk: int) -> HttpResponse:
        observation = self.object
        form = ObservationForm(request.POST, run=observation.run)
        if form.is_valid():
            try:
                services.observation_update(observation=observation, by=acting_user(request), data=form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Observation saved."))
                return HttpResponseRedirect(reverse("conduct:run_console", kwargs={"pk": observation.run_id}))
        return self._page(form, status=400)

    def _page(self, form: ObservationForm, status: int = 200) -> HttpResponse:
        context: dict[str, Any] = {"observation": self.object, "run": self.object.run, "form": form}
        return render(self.request, self.template_name, context, status=status)
