"""The cohort's people, for its staff."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import DetailView

from participants import selectors
from trainings.models import Cohort
from trainings.selectors import cohort_get


class CohortRosterView(LoginRequiredMixin, DetailView):
    """The cohort's people, for its staff. Its own page, so the agenda does not grow with the roster."""

    template_name = "participants/cohort_roster.html"
    context_object_name = "cohort"
    extra_context = {"section": "cohorts"}

    def get_object(self, queryset: Any = None) -> Cohort:
        cohort = cohort_get(user=self.request.user, slug=self.kwargs["slug"])
        if cohort is None or not self.request.user.has_perm("trainings.view_cohort_roster", cohort):
            raise Http404
        return cohort

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roster"] = selectors.cohort_roster(cohort=self.object)
        return context
