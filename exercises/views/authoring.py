"""Authoring pages: make a variant, export and import the master events list. Creating and editing an
exercise is the editor's (``exercises.views.editor``).

Every page asks the rules: an exercise the user cannot see answers 404, one they see but may not
change answers 403 (``core.views.ObjectPermissionMixin``). Writes go through one service each,
which saves all or nothing and refuses with ``ApplicationError``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.tabular import FORMATS
from core.views import ObjectPermissionMixin
from exercises import selectors, services
from exercises.forms.exercises import ExerciseDuplicateForm, MelUploadForm
from exercises.mel.export import mel_response
from exercises.mel.format import MelImportError
from exercises.models import Exercise


class ExerciseObjectMixin(ObjectPermissionMixin):
    """A page about one exercise the user may see (404), addressed by its slug."""

    lookup_field = lookup_url_kwarg = "slug"

    def get_permission_queryset(self) -> QuerySet[Exercise]:
        return selectors.exercise_guide_queryset(user=self.request.user)


# --- variants ---------------------------------------------------------------------------------


class ExerciseDuplicateView(ExerciseObjectMixin, FormView):
    """A variant needs the exercise in sight (404) and the right to add exercises (403)."""

    template_name = "exercises/exercise_duplicate.html"
    form_class = ExerciseDuplicateForm
    extra_context = {"section": "exercises"}
    permission_required = "exercises.add_exercise"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(exercise=self.object, **kwargs)

    def form_valid(self, form: ExerciseDuplicateForm) -> HttpResponse:
        try:
            variant = services.exercise_duplicate(exercise=self.object, **form.cleaned_data)
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s” is a new variant of “%(source)s”. Adapt it below.")
            % {"name": variant.name, "source": self.object.name},
        )
        return HttpResponseRedirect(reverse("exercises:exercise_update", kwargs={"slug": variant.slug}))


# --- master events list --------------------------------------------------------------------------


class ExerciseExportView(ExerciseObjectMixin, View):
    """The exercise's master events list as a download: ``?format=csv`` (default) or ``xlsx``."""

    permission_required = "exercises.view_exercise"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get(DELIMITER_PARAMETER))
        except ApplicationError as error:
            return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
        return mel_response(exercise=self.object, fmt=fmt, delimiter=delimiter)


class _MelImportView(FormView):
    template_name = "exercises/exercise_import.html"
    form_class = MelUploadForm
    extra_context = {"section": "exercises"}

    def target(self) -> Exercise | None:
        """The exercise whose plan the file replaces; None for a new exercise."""
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(exercise=self.target(), **kwargs)

    def form_valid(self, form: MelUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            result = services.exercise_mel_import(
                content=upload.read(), filename=upload.name, exercise=self.target(), size=upload.size
            )
        except MelImportError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form, import_errors=error.errors))
        except ApplicationError as error:  # the file as a whole: size, encoding, delimiter, columns
            form.add_error("file", error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Imported “%(name)s”: %(phases)s phases, %(teams)s teams and %(injects)s injects.")
            % {
                "name": result.exercise.name,
                "phases": result.phases,
                "teams": result.team_roles,
                "injects": result.injects,
            },
        )
        for warning in result.warnings:
            messages.warning(self.request, warning)
        return HttpResponseRedirect(result.exercise.get_absolute_url())


class ExerciseImportView(PermissionRequiredMixin, _MelImportView):
    """A master events list becomes a new exercise."""

    permission_required = "exercises.add_exercise"


class ExercisePlanImportView(ExerciseObjectMixin, _MelImportView):
    """A master events list replaces an exercise's phases, teams and injects (matched by number)."""

    permission_required = "exercises.change_exercise"

    def target(self) -> Exercise | None:
        return self.object
