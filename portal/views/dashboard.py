"""The dashboard: one section per role the person holds, across every domain."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts.requests import acting_user
from portal import selectors


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"
    extra_context = {"section": "dashboard"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["dashboard"] = selectors.dashboard_for(user=acting_user(self.request))
        return context
