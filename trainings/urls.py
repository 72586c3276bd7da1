from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("objectives/", views.ObjectiveListView.as_view(), name="objective_list"),
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/<slug:slug>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("cohorts/", views.CohortListView.as_view(), name="cohort_list"),
    path("cohorts/<slug:slug>/", views.CohortDetailView.as_view(), name="cohort_detail"),
    path("cohorts/<slug:slug>/roster/", views.CohortRosterView.as_view(), name="cohort_roster"),
]
