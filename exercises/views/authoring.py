"""Authoring pages: create and edit an exercise with its plan inline, make a variant, export and import
the master events list, order a course's exercises, and the course's objective coverage.

Every page asks the rules; an object the user cannot see answers 404, one they see but may not
change answers 403. Writes go through one service each, which saves all or nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.tabular import FORMATS
from exercises import coverage, selectors, services
from exercises.forms.authoring import (
    CourseExerciseFormSet,
    ExerciseDuplicateForm,
    ExerciseForm,
    MelUploadForm,
    add_plan_errors,
    exercise_plan_from_formsets,
    objective_choices,
    plan_formsets,
)
from exercises.mel.export import mel_response
from exercises.mel.format import MelImportError
from exercises.models import Exercise
from exercises.plans import ExercisePlan, plan_error_location
from trainings import selectors as training_selectors
from trainings.models import Course, LearningObjective


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _exercise(request: HttpRequest, slug: str, perm: str) -> Exercise:
    exercise = selectors.exercise_get(user=request.user, slug=slug)
    if exercise is None:
        raise Http404
    _require(request, perm, exercise)
    return exercise


def _course(request: HttpRequest, slug: str, perm: str) -> Course:
    course = training_selectors.course_get(user=request.user, slug=slug)
    if course is None:
        raise Http404
    _require(request, perm, course)
    return course


# --- the exercise and its plan -----------------------------------------------------------------


class _ExerciseFormView(LoginRequiredMixin, TemplateView):
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
        except ValidationError as error:
            if self.exercise is not None:
                self.exercise = selectors.exercise_get(user=request.user, slug=self.kwargs["slug"])
            add_plan_errors(error.message_dict, form=form, formsets=formsets, form_plan=form_plan)
            return self._render(form, formsets)
        except ApplicationError as error:
            add_service_errors(form, error)
            return self._render(form, formsets)
        messages.success(request, _("“%(name)s” was saved.") % {"name": exercise.name})
        return HttpResponseRedirect(exercise.get_absolute_url())

    def save(self, data: dict[str, Any], plan: ExercisePlan) -> Exercise:
        raise NotImplementedError


class ExerciseCreateView(_ExerciseFormView):
    extra_rows = 3

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            _require(request, "exercises.add_exercise")
        return super().dispatch(request, *args, **kwargs)

    def save(self, data: dict[str, Any], plan: ExercisePlan) -> Exercise:
        return services.exercise_create(**data, plan=plan)


class ExerciseUpdateView(_ExerciseFormView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.exercise = _exercise(request, kwargs["slug"], "exercises.change_exercise")
        return super().dispatch(request, *args, **kwargs)

    def save(self, data: dict[str, Any], plan: ExercisePlan) -> Exercise:
        assert self.exercise is not None
        return services.exercise_update(exercise=self.exercise, data=data, plan=plan)


class ExerciseDuplicateView(LoginRequiredMixin, FormView):
    template_name = "exercises/exercise_duplicate.html"
    form_class = ExerciseDuplicateForm
    extra_context = {"section": "exercises"}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.exercise = _exercise(request, kwargs["slug"], "exercises.view_exercise")
            _require(request, "exercises.add_exercise")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(exercise=self.exercise, **kwargs)

    def form_valid(self, form: ExerciseDuplicateForm) -> HttpResponse:
        try:
            variant = services.exercise_duplicate(exercise=self.exercise, **form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s” is a new variant of “%(source)s”. Adapt it below.")
            % {"name": variant.name, "source": self.exercise.name},
        )
        return HttpResponseRedirect(reverse("exercises:exercise_update", kwargs={"slug": variant.slug}))


# --- master events list --------------------------------------------------------------------------


def exercise_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The exercise's master events list as a download: ``?format=csv`` (default) or ``xlsx``."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('account_login')}?next={request.path}")
    exercise = _exercise(request, slug, "exercises.view_exercise")
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    return mel_response(exercise=exercise, fmt=fmt)


class _MelImportView(LoginRequiredMixin, FormView):
    template_name = "exercises/exercise_import.html"
    form_class = MelUploadForm
    extra_context = {"section": "exercises"}
    exercise: Exercise | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(exercise=self.exercise, **kwargs)

    def form_valid(self, form: MelUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            result = services.exercise_mel_import(content=upload.read(), filename=upload.name, exercise=self.exercise)
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


class ExerciseImportView(_MelImportView):
    """A master events list becomes a new exercise."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            _require(request, "exercises.add_exercise")
        return super().dispatch(request, *args, **kwargs)


class ExercisePlanImportView(_MelImportView):
    """A master events list replaces an exercise's phases, teams and injects (matched by number)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.exercise = _exercise(request, kwargs["slug"], "exercises.change_exercise")
        return super().dispatch(request, *args, **kwargs)


# --- courses -----------------------------------------------------------------------------------


class CourseExercisesView(LoginRequiredMixin, TemplateView):
    """The course's exercises and their order, edited as numbered rows."""

    template_name = "exercises/course_exercises.html"
    extra_context = {"section": "courses"}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.course = _course(request, kwargs["slug"], "trainings.change_course")
        return super().dispatch(request, *args, **kwargs)

    def _formset(self, data: Any) -> Any:
        self.choices = {e.pk: e for e in selectors.exercise_list(user=self.request.user)}
        initial = [
            {"order": item.order, "exercise": item.exercise_id}
            for item in selectors.course_exercise_list(course=self.course)
        ]
        labels = [(pk, f"{e.name} ({e.country})" if e.country else e.name) for pk, e in self.choices.items()]
        return CourseExerciseFormSet(
            data, initial=initial, prefix="exercises", form_kwargs={"exercise_choices": labels}
        )

    def _render(self, formset: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(course=self.course, formset=formset))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._formset(None))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        formset = self._formset(request.POST)
        if not formset.is_valid():
            return self._render(formset)
        deleted = set(formset.deleted_forms)
        rows = [f for f in formset.forms if f not in deleted and f.cleaned_data]
        items = [(f.cleaned_data["order"], self.choices[f.cleaned_data["exercise"]]) for f in rows]
        try:
            services.course_exercises_set(course=self.course, items=items)
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                _part, index, field_name = plan_error_location(key)
                if index is None:
                    formset.non_form_errors().extend(errors)
                else:
                    for message in errors:
                        rows[index].add_error(field_name, message)
            return self._render(formset)
        messages.success(request, _("The course's exercises were saved."))
        return HttpResponseRedirect(self.course.get_absolute_url())


class CourseCoverageView(LoginRequiredMixin, TemplateView):
    """Objective × exercise × inject for one course, with what nothing addresses."""

    template_name = "exercises/course_coverage.html"
    extra_context = {"section": "courses"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        course = _course(self.request, self.kwargs["slug"], "exercises.view_course_coverage")
        context["course"] = course
        context["coverage"] = coverage.course_coverage(course=course, user=self.request.user)
        context["can_edit"] = self.request.user.has_perm("trainings.change_course", course)
        return context
