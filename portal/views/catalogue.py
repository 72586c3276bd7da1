"""Retiring a learning objective: the page says where the objective is used, across domains."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.views import ObjectPermissionMixin
from exercises.selectors import objective_usage
from trainings.models import LearningObjective
from trainings.services import learning_objective_retire


class ObjectiveRetireView(ObjectPermissionMixin, TemplateView):
    """GET asks to confirm and says where the objective is used; POST retires it.

    The catalogue is readable by everyone signed in, so a refusal here is 403, not 404.
    """

    template_name = "portal/objective_retire.html"
    extra_context = {"section": "objectives"}
    permission_required = "trainings.change_learningobjective"
    object: LearningObjective

    def get_permission_queryset(self) -> QuerySet[LearningObjective]:
        return LearningObjective.objects.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["objective"] = self.object
        context["usage"] = objective_usage(objective=self.object)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objective = learning_objective_retire(objective=self.object)
        messages.success(
            request,
            _("The objective “%(code)s” is retired: records that use it keep it, new ones cannot choose it.")
            % {"code": objective.code},
        )
        return HttpResponseRedirect(objective.get_absolute_url())
