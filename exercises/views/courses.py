"""A course's exercises and their order, and the course's objective coverage."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises import coverage, selectors, services
from exercises.forms.courses import CourseExerciseFormSet
from exercises.plans import plan_error_location
from trainings.models import Course


class _CourseObjectMixin(ObjectPermissionMixin):
    """A page about one course the user may see (404), addressed by its slug."""

    lookup_field = lookup_url_kwarg = "slug"

    def get_permission_queryset(self) -> QuerySet[Course]:
        return Course.objects.visible_to(self.request.user)


class CourseExercisesView(_CourseObjectMixin, TemplateView):
    """The course's exercises and their order, edited as numbered rows."""

    template_name = "exercises/course_exercises.html"
    extra_context = {"section": "courses"}
    permission_required = "trainings.change_course"

    def _formset(self, data: Any) -> Any:
        self.choices = {e.pk: e for e in selectors.exercise_list(user=self.request.user)}
        initial = [
            {"order": item.order, "exercise": item.exercise_id}
            for item in selectors.course_exercise_list(course=self.object)
        ]
        labels = [(pk, f"{e.name} ({e.country})" if e.country else e.name) for pk, e in self.choices.items()]
        return CourseExerciseFormSet(
            data, initial=initial, prefix="exercises", form_kwargs={"exercise_choices": labels}
        )

    def _render(self, formset: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(course=self.object, formset=formset))

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
            services.course_exercises_set(course=self.object, items=items)
        except ApplicationError as error:
            for key, errors in error.message_dict.items():
                _part, index, field_name = plan_error_location(key)
                if index is None:
                    formset.non_form_errors().extend(errors)
                else:
                    for message in errors:
                        rows[index].add_error(field_name, message)
            return self._render(formset)
        messages.success(request, _("The course's exercises were saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class CourseCoverageView(_CourseObjectMixin, TemplateView):
    """Objective × exercise × inject for one course, with what nothing addresses."""

    template_name = "exercises/course_coverage.html"
    extra_context = {"section": "courses"}
    permission_required = "exercises.view_course_coverage"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["course"] = self.object
        context["coverage"] = coverage.course_coverage(course=self.object, user=self.request.user)
        context["can_edit"] = self.request.user.has_perm("trainings.change_course", self.object)
        return context
