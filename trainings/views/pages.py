"""Read pages: the learning-objective catalogue, and the lists of courses and cohorts."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from trainings import selectors


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


class CohortListView(LoginRequiredMixin, ListView):
    template_name = "trainings/cohort_list.html"
    context_object_name = "cohorts"
    paginate_by = 25
    extra_context = {"section": "cohorts"}

    def get_queryset(self) -> Any:
        return selectors.cohort_list(user=self.request.user)
