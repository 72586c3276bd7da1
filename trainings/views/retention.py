"""A cohort's personal-data retention: when its people's data is due for anonymisation, and the hold
that keeps it (``trainings.hold_cohort_data``: coordinators and the cohort's named coordinators).

A cohort the user cannot see answers 404; one they see but may not hold, 403.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from trainings import selectors, services
from trainings.forms import RetentionHoldForm
from trainings.models import Cohort


class CohortRetentionView(ObjectPermissionMixin, FormView):
    """Shows the due date and the hold; the form holds (with a reason), the release button ends the hold."""

    template_name = "trainings/cohort_retention.html"
    form_class = RetentionHoldForm
    permission_required = "trainings.hold_cohort_data"
    lookup_field = lookup_url_kwarg = "slug"
    extra_context = {"section": "cohorts"}
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return selectors.cohort_retention_queryset(user=self.request.user)

    def get_initial(self) -> dict[str, Any]:
        return {"reason": self.object.retention_hold}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            cohort=self.object, retention=selectors.cohort_retention(cohort=self.object), **kwargs
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") != "release":
            return super().post(request, *args, **kwargs)
        try:
            services.cohort_retention_release(cohort=self.object, by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The hold is released: the cohort's personal data follows the retention rules.")
            )
        return HttpResponseRedirect(self._url())

    def form_valid(self, form: RetentionHoldForm) -> HttpResponse:
        try:
            services.cohort_retention_hold(
                cohort=self.object, by=acting_user(self.request), reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cohort's personal data is kept until you release the hold."))
        return HttpResponseRedirect(self._url())

    def _url(self) -> str:
        return reverse("trainings:cohort_retention", kwargs={"slug": self.object.slug})
