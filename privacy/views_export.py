"""The personal-data export's pages: "Your data" for every signed-in person, and a person's data for
coordinators. Both ask for an export (POST) and follow the person's latest exports."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from privacy.selectors import person_exports
from privacy.services import person_export_request

# The privacy notice (another page of privacy, privacy:notice) answers here.


class _ExportPage(LoginRequiredMixin, View):
    template_name = "privacy/person_data.html"
    person: User

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            person_export_request(person=self.person, by=acting_user(request))
        except ApplicationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self._render(status=400)
        messages.success(request, _("The export is being prepared. Its download appears below when it is ready."))
        return redirect(request.path)

    def _render(self, status: int = 200) -> HttpResponse:
        context = {
            "person": self.person,
            "is_self": self.person.pk == self.request.user.pk,
            "exports": person_exports(person=self.person),
            "notice_url": reverse("privacy:notice"),
            "export_hours": settings.CONCORD_PRIVACY_EXPORT_HOURS,
            "section": "account" if self.person.pk == self.request.user.pk else "people",
        }
        return render(self.request, self.template_name, context, status=status)


class MyDataView(_ExportPage):
    """Your data: ask for everything held about you, and download it while it is kept."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.person = acting_user(request)
        return super().dispatch(request, *args, **kwargs)


class PersonDataView(_ExportPage):
    """A person's data, for a coordinator: an export on their behalf. The person is sent to their own page;
    anyone else is refused (403, before any lookup: ids are not confirmed)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if kwargs["pk"] == request.user.pk:
            return redirect(reverse("privacy:my_data"))
        person = User.objects.filter(pk=kwargs["pk"]).first()
        if not request.user.has_perm("privacy.export_person", person):
            raise PermissionDenied
        if person is None:
            raise Http404
        self.person = person
        return super().dispatch(request, *args, **kwargs)
