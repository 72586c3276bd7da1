"""Retiring a learning objective: the page says where the objective is used, across domains."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from exercises.selectors import objective_usage
from trainings.services import learning_objective_retire
from trainings.views.catalogue import objective_for


class ObjectiveRetireView(LoginRequiredMixin, TemplateView):
    """GET asks to confirm and says where the objective is used; POST retires it."""

    template_name = "portal/objective_retire.html"
    extra_context = {"section": "objectives"}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.objective = objective_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["objective"] = self.objective
        context["usage"] = objective_usage(objective=self.objective)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objective = learning_objective_retire(objective=self.objective)
        messages.success(
            request,
            _("The objective “%(code)s” is retired: records that use it keep it, new ones cannot choose it.")
            % {"code": objective.code},
        )
        return HttpResponseRedirect(objective.get_absolute_url())


# --- courses ---------------------------------------------------------------------------------
