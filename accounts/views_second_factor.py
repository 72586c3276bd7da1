"""Coordinators' pages about staff accounts: who has a second factor, and resetting a lost one."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.forms import SecondFactorResetForm
from accounts.models import User
from accounts.requests import acting_user
from accounts.selectors import staff_second_factor_list
from accounts.services import user_second_factor_reset
from core.exceptions import ApplicationError
from core.forms import add_service_errors


class StaffSecondFactorListView(PermissionRequiredMixin, View):
    permission_required = "accounts.view_user"
    template_name = "accounts/second_factor_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "staff": staff_second_factor_list(),
            "grace_days": settings.CONCORD_MFA_GRACE_DAYS,
            "section": "people",
        }
        return render(request, self.template_name, context)


class SecondFactorResetView(PermissionRequiredMixin, View):
    permission_required = "accounts.change_user"
    template_name = "accounts/second_factor_reset.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.person = get_object_or_404(User, pk=kwargs["pk"], is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(SecondFactorResetForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SecondFactorResetForm(request.POST)
        if form.is_valid():
            try:
                user_second_factor_reset(user=self.person, by=acting_user(request), reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                message = _("The second factor of %(email)s was reset and their sessions ended.")
                messages.success(request, message % {"email": self.person.email})
                return redirect("accounts:second_factor_list")
        return self._render(form, status=400)

    def _render(self, form: SecondFactorResetForm, status: int = 200) -> HttpResponse:
        context = {"person": self.person, "form": form, "section": "people"}
        return render(self.request, self.template_name, context, status=status)
