from django.urls import path

from participants.views import attendance as attendance_views
from participants.views import enrolment as enrolment_views
from participants.views import pages
from participants.views import roster as roster_views

app_name = "participants"

urlpatterns = [
    path("me/", pages.ProfileView.as_view(), name="me"),
    # A cohort's people (its staff): the roster, enrolment one by one, roster import and export, waiting list.
    path("cohorts/<slug:slug>/roster/", roster_views.CohortRosterView.as_view(), name="cohort_roster"),
    path("cohorts/<slug:slug>/enrol/", enrolment_views.EnrolView.as_view(), name="enrol"),
    path("cohorts/<slug:slug>/roster/import/", roster_views.RosterImportView.as_view(), name="roster_import"),
    path("cohorts/<slug:slug>/roster/export/", roster_views.RosterExportView.as_view(), name="roster_export"),
    path("cohorts/<slug:slug>/waitlist/", enrolment_views.WaitlistView.as_view(), name="waitlist"),
    path("roster-imports/<int:pk>/", roster_views.RosterPreviewView.as_view(), name="roster_preview"),
    path("enrolments/<int:pk>/status/", enrolment_views.EnrolmentStatusView.as_view(), name="enrolment_status"),
    # Attendance per session (the cohort's facilitators and coordinators).
    path("sessions/<int:pk>/attendance/", attendance_views.SessionAttendanceView.as_view(), name="attendance"),
]
