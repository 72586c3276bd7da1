from django.urls import path

from trainings.views import pages

app_name = "trainings"

urlpatterns = [
    path("objectives/", pages.ObjectiveListView.as_view(), name="objective_list"),
    path("courses/", pages.CourseListView.as_view(), name="course_list"),
    path("courses/<slug:slug>/", pages.CourseDetailView.as_view(), name="course_detail"),
    path("cohorts/", pages.CohortListView.as_view(), name="cohort_list"),
    path("cohorts/<slug:slug>/", pages.CohortDetailView.as_view(), name="cohort_detail"),
    path("cohorts/<slug:slug>/roster/", pages.CohortRosterView.as_view(), name="cohort_roster"),
]
