"""Read pages: learning-objective catalogue, courses and cohorts (with the agenda and roster)."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView

from trainings import selectors
from trainings.models import Cohort, Course


class ObjectiveListView(LoginRequiredMixin, ListView):
    template_name = "trainings/objective_list.html"
    context_object_name = "objectives"
    extra_context = {"section": "objectives"}

    def get_queryset(self) -> Any:
        return selectors.objective_list()


class CourseListView(LoginRequiredMixin, ListView):
    template_name = "trainings/course_list.html"
    context_object_name = "courses"
    paginate_by = 25
    extra_context = {"section": "courses"}

    def get_queryset(self) -> Any:
        return selectors.course_list(user=self.request.user)


class CourseDetailView(LoginRequiredMixin, DetailView):
    template_name = "trainings/course_detail.html"
    context_object_name = "course"
    extra_context = {"section": "courses"}

    def get_object(self, queryset: Any = None) -> Course:
        course = selectors.course_get(user=self.request.user, slug=self.kwargs["slug"])
        if course is None:
            raise Http404
        return course

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["course_exercises"] = selectors.course_exercise_list(course=self.object)
        context["visible_exercise_ids"] = selectors.course_visible_exercise_ids(course=self.object, user=user)
        context["cohorts"] = selectors.cohort_list(user=user).filter(course=self.object)
        return context


class CohortListView(LoginRequiredMixin, ListView):
    template_name = "trainings/cohort_list.html"
    context_object_name = "cohorts"
    paginate_by = 25
    extra_context = {"section": "cohorts"}

    def get_queryset(self) -> Any:
        return selectors.cohort_list(user=self.request.user)


class CohortDetailView(LoginRequiredMixin, DetailView):
    template_name = "trainings/cohort_detail.html"
    context_object_name = "cohort"
    extra_context = {"section": "cohorts"}

    def get_object(self, queryset: Any = None) -> Cohort:
        cohort = selectors.cohort_page_get(user=self.request.user, slug=self.kwargs["slug"])
        if cohort is None:
            raise Http404
        return cohort

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort, user = self.object, self.request.user
        # Facts and agenda are rendered from cache while the version holds: built only when needed.
        context["agenda"] = SimpleLazyObject(lambda: selectors.cohort_schedule(cohort=cohort))
        context["agenda_version"] = selectors.cohort_agenda_version(cohort=cohort)
        context["unscheduled_runs"] = SimpleLazyObject(lambda: list(selectors.cohort_unscheduled_runs(cohort=cohort)))
        context["can_view_course"] = user.has_perm("trainings.view_course", cohort.course)
        context["can_view_roster"] = user.has_perm("trainings.view_cohort_roster", cohort)
        return context


class CohortRosterView(LoginRequiredMixin, DetailView):
    """The cohort's people, for its staff. Its own page, so the agenda does not grow with the roster."""

    template_name = "trainings/cohort_roster.html"
    context_object_name = "cohort"
    extra_context = {"section": "cohorts"}

    def get_object(self, queryset: Any = None) -> Cohort:
        cohort = selectors.cohort_get(user=self.request.user, slug=self.kwargs["slug"])
        if cohort is None or not self.request.user.has_perm("trainings.view_cohort_roster", cohort):
            raise Http404
        return cohort

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roster"] = selectors.cohort_roster(cohort=self.object)
        return context
