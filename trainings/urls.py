from django.urls import path

from trainings.views import catalogue, pages, retention

app_name = "trainings"

urlpatterns = [
    path("objectives/", pages.ObjectiveListView.as_view(), name="objective_list"),
    path("objectives/new/", catalogue.ObjectiveCreateView.as_view(), name="objective_create"),
    path("objectives/<int:pk>/edit/", catalogue.ObjectiveUpdateView.as_view(), name="objective_update"),
    path("courses/", pages.CourseListView.as_view(), name="course_list"),
    # Before portal's course pattern: "new" is not a course.
    path("courses/new/", catalogue.CourseCreateView.as_view(), name="course_create"),
    path("courses/<slug:slug>/edit/", catalogue.CourseUpdateView.as_view(), name="course_update"),
    path("cohorts/", pages.CohortListView.as_view(), name="cohort_list"),
    path("cohorts/<slug:slug>/retention/", retention.CohortRetentionView.as_view(), name="cohort_retention"),
]
