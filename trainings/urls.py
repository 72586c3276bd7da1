from django.urls import path

from trainings.views import catalogue, exports, pages, schedule

app_name = "trainings"

urlpatterns = [
    path("objectives/", pages.ObjectiveListView.as_view(), name="objective_list"),
    path("objectives/new/", catalogue.ObjectiveCreateView.as_view(), name="objective_create"),
    path("objectives/<int:pk>/edit/", catalogue.ObjectiveUpdateView.as_view(), name="objective_update"),
    path("objectives/<int:pk>/retire/", catalogue.ObjectiveRetireView.as_view(), name="objective_retire"),
    path("courses/", pages.CourseListView.as_view(), name="course_list"),
    # Before the slug pattern: "new" is not a course.
    path("courses/new/", catalogue.CourseCreateView.as_view(), name="course_create"),
    path("courses/<slug:slug>/", pages.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<slug:slug>/edit/", catalogue.CourseUpdateView.as_view(), name="course_update"),
    path("cohorts/", pages.CohortListView.as_view(), name="cohort_list"),
    path("cohorts/<slug:slug>/", pages.CohortDetailView.as_view(), name="cohort_detail"),
    path("cohorts/<slug:slug>/roster/", pages.CohortRosterView.as_view(), name="cohort_roster"),
    # Planning the schedule (coordinators): cohorts from a course, the agenda, sessions.
    path("courses/<slug:slug>/cohorts/new/", schedule.CohortCreateView.as_view(), name="cohort_create"),
    path("cohorts/<slug:slug>/edit/", schedule.CohortUpdateView.as_view(), name="cohort_update"),
    path("cohorts/<slug:slug>/agenda/", schedule.CohortAgendaView.as_view(), name="cohort_agenda"),
    path("cohorts/<slug:slug>/sessions/new/", schedule.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/edit/", schedule.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/cancel/", schedule.SessionCancelView.as_view(), name="session_cancel"),
    path("sessions/<int:pk>/reinstate/", schedule.SessionReinstateView.as_view(), name="session_reinstate"),
    path("cohorts/<slug:slug>/schedule/export/", exports.cohort_schedule_export, name="cohort_schedule_export"),
]
