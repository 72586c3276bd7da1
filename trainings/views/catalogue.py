"""Catalogue pages for coordinators: create, edit and retire learning objectives; create and edit courses.

Each page asks the rules (``trainings.add_*`` / ``trainings.change_*``) and saves through one service.
An object the user cannot see answers 404; one they see but may not change answers 403
(``core.views.ObjectPermissionMixin``). Services refuse with ``ApplicationError`` only.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.permissions import object_for
from core.views import ObjectPermissionMixin
from trainings import selectors, services
from trainings.forms import CourseForm, LearningObjectiveForm
from trainings.models import Course, LearningObjective

# Words used by the pages' own addresses: a course with such a slug could not be reached.
RESERVED_COURSE_SLUGS = frozenset({"new"})


# --- learning objectives ---------------------------------------------------------------------


def objective_for(request: HttpRequest, pk: int) -> LearningObjective:
    """An objective the signed-in person may change; the catalogue is readable by everyone, so 403, not 404."""
    return object_for(
        user=request.user,
        queryset=LearningObjective.objects.all(),
        perm="trainings.change_learningobjective",
        pk=pk,
    )


def _objective_url(objective: LearningObjective) -> str:
    return objective.get_absolute_url()


# Create pages ask a model-level rule (Django's PermissionRequiredMixin): anonymous people are sent
# to sign in, signed-in people without the rule get 403.
class ObjectiveCreateView(PermissionRequiredMixin, FormView):
    template_name = "trainings/objective_form.html"
    form_class = LearningObjectiveForm
    permission_required = "trainings.add_learningobjective"
    extra_context = {"section": "objectives"}

    def form_valid(self, form: LearningObjectiveForm) -> HttpResponse:
        try:
            objective = services.learning_objective_create(**form.cleaned_data)
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The objective “%(code)s” was added.") % {"code": objective.code})
        return HttpResponseRedirect(_objective_url(objective))


class ObjectiveUpdateView(ObjectPermissionMixin, FormView):
    template_name = "trainings/objective_form.html"
    form_class = LearningObjectiveForm
    permission_required = "trainings.change_learningobjective"
    extra_context = {"section": "objectives"}
    object: LearningObjective

    def get_permission_queryset(self) -> QuerySet[LearningObjective]:
        # The catalogue is readable by everyone signed in, so a refusal here is 403, not 404.
        return LearningObjective.objects.all()

    @property
    def objective(self) -> LearningObjective:
        return self.object

    def get_initial(self) -> dict[str, Any]:
        o = self.objective
        return {
            "code": o.code,
            "title": o.title,
            "description": o.description,
            "category": o.category,
            "order": o.order,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(objective=self.objective, **kwargs)

    def form_valid(self, form: LearningObjectiveForm) -> HttpResponse:
        try:
            objective = services.learning_objective_update(objective=self.objective, data=form.cleaned_data)
        except ApplicationError as error:
            self.objective.refresh_from_db()  # the page shows the saved values, not the refused ones
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The objective “%(code)s” was saved.") % {"code": objective.code})
        return HttpResponseRedirect(_objective_url(objective))


def _reserved_slug_error(form: CourseForm) -> bool:
    slug = form.cleaned_data.get("slug") or slugify(form.cleaned_data.get("title", ""))[:70]
    if slug in RESERVED_COURSE_SLUGS:
        form.add_error("slug", _("“%(slug)s” is used by the site's own pages; choose another slug.") % {"slug": slug})
        return True
    return False


class CourseCreateView(PermissionRequiredMixin, FormView):
    template_name = "trainings/course_form.html"
    form_class = CourseForm
    permission_required = "trainings.add_course"
    extra_context = {"section": "courses"}

    def form_valid(self, form: CourseForm) -> HttpResponse:
        if _reserved_slug_error(form):
            return self.form_invalid(form)
        data = dict(form.cleaned_data)
        data["learning_objectives"] = list(data["learning_objectives"])
        try:
            course = services.course_create(**data)
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The course “%(title)s” was created. Now choose its exercises.") % {"title": course.title},
        )
        return HttpResponseRedirect(reverse("exercises:course_exercises", kwargs={"slug": course.slug}))


class CourseUpdateView(ObjectPermissionMixin, FormView):
    template_name = "trainings/course_form.html"
    form_class = CourseForm
    permission_required = "trainings.change_course"
    lookup_field = lookup_url_kwarg = "slug"
    extra_context = {"section": "courses"}
    object: Course

    def get_permission_queryset(self) -> QuerySet[Course]:
        return selectors.course_visible_list(user=self.request.user)

    @property
    def course(self) -> Course:
        return self.object

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "course": self.course}

    def get_initial(self) -> dict[str, Any]:
        c = self.course
        return {
            "title": c.title,
            "slug": c.slug,
            "summary": c.summary,
            "language": c.language,
            "learning_objectives": list(c.learning_objectives.all()),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(course=self.course, **kwargs)

    def form_valid(self, form: CourseForm) -> HttpResponse:
        if _reserved_slug_error(form):
            return self.form_invalid(form)
        data = dict(form.cleaned_data)
        data["learning_objectives"] = list(data["learning_objectives"])
        try:
            course = services.course_update(course=self.course, data=data)
        except ApplicationError as error:
            self.course.refresh_from_db()  # the page shows the saved values, not the refused ones
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The course “%(title)s” was saved.") % {"title": course.title})
        return HttpResponseRedirect(reverse("portal:course_detail", kwargs={"slug": course.slug}))
