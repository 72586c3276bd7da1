"""Privacy's pages: a coordinator erases a person."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from privacy.forms import PersonEraseForm
from privacy.selectors import person_erasure_plan
from privacy.services import person_erase


class PersonEraseView(PermissionRequiredMixin, View):
    """What erasing the person does, holding by holding; the reason and the typed e-mail; POST erases."""

    permission_required = "privacy.erase_person"
    template_name = "privacy/person_erase.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.has_permission():
            return self.handle_no_permission()
        self.person = get_object_or_404(User, pk=kwargs["pk"], erased_at__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(PersonEraseForm(person_email=self.person.email))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PersonEraseForm(request.POST, person_email=self.person.email)
        if form.is_valid():
            try:
                person_erase(person=self.person, by=acting_user(request), reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                # No name in the message: it waits in the session, which must not keep what was erased.
                messages.success(request, _("The person was erased. They appear as an anonymous label from now on."))
                return redirect("dashboard")
        return self._render(form, status=400)

    def _render(self, form: PersonEraseForm, status: int = 200) -> HttpResponse:
        plan = person_erasure_plan(person=self.person)
        context = {
            "person": self.person,
            # What is held about them first; the places that hold nothing fold away (a phone's screen).
            "plan": [line for line in plan if line["rows"]],
            "plan_empty": [line for line in plan if not line["rows"]],
            "form": form,
            "is_self": self.person.pk == self.request.user.pk,
            "section": "people",
        }
        return render(self.request, self.template_name, context, status=status)
