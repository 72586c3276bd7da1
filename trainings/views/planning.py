"""What every planning page shares (trainings', exercises' and portal's): finding the cohort or
session (404), asking the rule (403), and showing schedule conflicts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse

from core.forms import add_service_errors
from trainings import selectors
from trainings.conflicts import Conflict, ScheduleConflictError
from trainings.models import Cohort, Session


def agenda_url(cohort: Cohort, session: Session | None = None) -> str:
    url = reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug})
    return f"{url}#session-{session.pk}" if session is not None else url


def show_warnings(request: HttpRequest, warnings: list[Conflict]) -> None:
    for warning in warnings:
        messages.warning(request, warning.message)


class PlanningView(LoginRequiredMixin):
    """Signed-in people only; ``load()`` finds the object (404) and checks the permission (403)."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def load(self) -> None:
        raise NotImplementedError

    def require(self, perm: str, obj: Any) -> None:
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied

    def visible_cohort(self, slug: str) -> Cohort:
        cohort = selectors.cohort_get(user=self.request.user, slug=slug)
        if cohort is None:
            raise Http404
        return cohort

    def visible_session(self, pk: int) -> Session:
        session = Session.objects.visible_to(self.request.user).select_related("cohort__course").filter(pk=pk).first()
        if session is None:
            raise Http404
        return session


class ConflictFormMixin:
    """Renders a refused form with the conflicts that refused it."""

    conflicts: list[Conflict] = []

    def refuse(self, form: Any, error: Exception) -> HttpResponse:
        if isinstance(error, ScheduleConflictError):
            self.conflicts = error.conflicts
            form.add_error(None, error.message)
        elif hasattr(form, "add_service_errors") and isinstance(error, ValidationError):
            form.add_service_errors(error)
        else:
            add_service_errors(form, error)  # type: ignore[arg-type]
        return self.form_invalid(form)  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["conflicts"] = self.conflicts
        return context
