"""Pages that show one course or cohort across domains: its exercises, runs, agenda and staff."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView

from exercises import selectors as exercise_selectors
from portal import selectors
from trainings import selectors as trainings_selectors
from trainings.models import Cohort, Course


class CourseDetailView(LoginRequiredMixin, DetailView):
    template_name = "portal/course_detail.html"
    context_object_name = "course"
    extra_context = {"section": "courses"}

    def get_object(self, queryset: Any = None) -> Course:
        course = trainings_selectors.course_get(user=self.request.user, slug=self.kwargs["slug"])
        if course is None:
            raise Http404
        return course

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["course_exercises"] = exercise_selectors.course_exercise_list(course=self.object)
        context["visible_exercise_ids"] = exercise_selectors.course_visible_exercise_ids(course=self.object, user=user)
        context["cohorts"] = trainings_selectors.cohort_list(user=user).filter(course=self.object)
        return context


class CohortDetailView(LoginRequiredMixin, DetailView):
    template_name = "portal/cohort_detail.html"
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
        context["agenda"] = SimpleLazyObject(lambda: exercise_selectors.cohort_schedule(cohort=cohort))
        context["agenda_version"] = selectors.cohort_agenda_version(cohort=cohort)
        context["unscheduled_runs"] = SimpleLazyObject(
            lambda: list(exercise_selectors.cohort_unscheduled_runs(cohort=cohort))
        )
        context["can_view_course"] = user.has_perm("trainings.view_course", cohort.course)
        context["can_view_roster"] = user.has_perm("trainings.view_cohort_roster", cohort)
        return context
