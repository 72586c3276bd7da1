"""Authoring pages: create and edit an exercise with its plan inline, make a variant, export and import
the master events list.

Every page asks the rules: an exercise the user cannot see answers 404, one they see but may not
change answers 403 (``core.views.ObjectPermissionMixin``). Writes go through one service each,
which saves all or nothing and refuses with ``ApplicationError``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.tabular import FORMATS
from core.views import ObjectPermissionMixin
from exercises import selectors, services
from exercises.forms.exercises import ExerciseDuplicateForm, ExerciseForm, MelUploadForm, objective_choices
from exercises.forms.plans import add_plan_errors, exercise_plan_from_formsets, plan_formsets
from exercises.mel.export import mel_response
from exercises.mel.format import MelImportError
from exercises.models import Exercise
from exercises.plans import ExercisePlan
from trainings.models import LearningObjective


class _ExerciseObjectMixin(ObjectPermissionMixin):
    """A page about one exercise the user may see (404), addressed by its slug."""

    lookup_field = lookup_url_kwarg = "slug"

    def get_permission_queryset(self) -> QuerySet[Exercise]:
        return selectors.exercise_guide_queryset(user=self.request.user)


# --- the exercise and its plan -----------------------------------------------------------------


class _ExerciseFormView(TemplateView):
    """One page for the exercise's fields and its phases, teams and injects (inline formsets)."""

    template_name = "exercises/exercise_form.html"
    extra_context = {"section": "exercises"}
    exercise: Exercise | None = None
    extra_rows = 1

    def _objectives(self) -> list[LearningObjective]:
        linked: list[int] = []
        if self.exercise is not None:
            linked = list(
                LearningObjective.objects.filter(
                    Q(exercises=self.exercise) | Q(injects__exercise=self.exercise)
                ).values_list("pk", flat=True)
            )
        return objective_choices(linked_ids=linked)

    def _forms(self, data: Any) -> tuple[ExerciseForm, dict[str, Any], list[LearningObjective]]:
        objectives = self._objectives()
        initial = {}
        if self.exercise is not None:
            initial = {name: getattr(self.exercise, name) for name in services.EXERCISE_FIELDS}
            initial["learning_objectives"] = [o.pk for o in self.exercise.learning_objectives.all()]
        form = ExerciseForm(data, initial=initial, objectives=objectives, editing=self.exercise is not None)
        formsets = plan_formsets(
            exercise=self.exercise or Exercise(), data=data, objectives=objectives, extra=self.extra_rows
        )
        return form, formsets, objectives

    def _render(self, form: ExerciseForm, formsets: dict[str, Any]) -> HttpResponse:
        context = self.get_context_data(form=form, formsets=formsets, exercise=self.exercise)
        if self.exercise is not None:
            context["plan_warnings"] = selectors.exercise_plan_warnings(exercise=self.exercise)
        return self.render_to_response(context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, formsets, _objectives = self._forms(None)
        return self._render(form, formsets)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, formsets, objectives = self._forms(request.POST)
        # Every part is validated, so that one answer shows every problem.
        results = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
        if not all(results):
            return self._render(form, formsets)
        form_plan = exercise_plan_from_formsets(formsets, objectives={o.pk: o for o in objectives})
        try:
            exercise = self.save(form.service_data(), form_plan.plan)
        except ApplicationError as error:
            if self.exercise is not None:
                # The service set the refused values on it: show the page from the saved exercise.
                self.exercise = selectors.exercise_get(user=request.user, slug=self.kwargs["slug"])
            add_plan_errors(error.message_dict, form=form, formsets=formsets, form_plan=form_plan)
            return self._render(form, formsets)
        messages.success(request, _("“%(name)s” was saved.") % {"name": exercise.name})
        return HttpResponseRedirect(exercise.get_absolute_url())

    def save(self, data: dict[str, Any], plan: ExercisePlan) -> Exercise:
        raise NotImplementedError


class ExerciseCreateView(PermissionRequiredMixin, _ExerciseFormView):
    permission_required = "exercises.add_exercise"
    extra_rows = 3

    def save(self, data: dict[str, Any], plan: ExercisePlan) -> Exercise:
        return services.exercise_create(**data, plan=plan)


class ExerciseUpdateView(_ExerciseObjectMixin, _ExerciseFormView):
    permission_required = "exercises.change_exercise"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.exercise = self.object
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.exercise = self.object
        return super().post(request, *args, **kwargs)

    def save(self, data: dict[str, Any], plan: ExercisePlan) -> Exercise:
        assert self.exercise is not None
        return services.exercise_update(exercise=self.exercise, data=data, plan=plan)


class ExerciseDuplicateView(_ExerciseObjectMixin, FormView):
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


class ExerciseExportView(_ExerciseObjectMixin, View):
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


class ExercisePlanImportView(_ExerciseObjectMixin, _MelImportView):
    """A master events list replaces an exercise's phases, teams and injects (matched by number)."""

    permission_required = "exercises.change_exercise"

    def target(self) -> Exercise | None:
        return self.object
