"""What every planning page shares (trainings', exercises' and portal's): finding the cohort or
session among what the user may see (404) and asking the rule (403), both through
``core.permissions.object_for``, and showing schedule conflicts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse

from core.forms import add_service_errors
from core.permissions import object_for
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
    """Signed-in people only; ``load()`` finds the object (404) and checks the permission (403).

    A page whose object is fixed by its URL can use ``core.views.ObjectPermissionMixin`` instead;
    this one serves pages that find a cohort, a session or something else of their own in ``load()``.
    """

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
        """403 unless the rule ``perm`` allows ``obj`` (found by ``visible_cohort`` or the like: 404 first)."""
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied

    def visible_cohort(self, slug: str, *, perm: str = "") -> Cohort:
        """The cohort among those the user may see (404), with ``places_taken`` and its staff; ``perm`` asked (403)."""
        cohorts = selectors.cohort_visible_list(user=self.request.user)
        return object_for(user=self.request.user, queryset=cohorts, perm=perm, slug=slug)

    def visible_session(self, pk: int, *, perm: str = "") -> Session:
        """The session among those the user may see (404); ``perm`` asked (403)."""
        sessions = selectors.session_visible_list(user=self.request.user)
        return object_for(user=self.request.user, queryset=sessions, perm=perm, pk=pk)


class ConflictFormMixin:
    """Renders a refused form with the conflicts that refused it."""

    conflicts: list[Conflict] = []

    def refuse(self, form: Any, error: ValidationError) -> HttpResponse:
        """Show a service's refusal (an ``ApplicationError``) on the form."""
        if isinstance(error, ScheduleConflictError):
            self.conflicts = error.conflicts
            form.add_error(None, error.message)
        elif hasattr(form, "add_service_errors"):
            form.add_service_errors(error)
        else:
            add_service_errors(form, error)
        return self.form_invalid(form)  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["conflicts"] = self.conflicts
        return context
