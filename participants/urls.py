from django.urls import path

from participants.views import attendance as attendance_views
from participants.views import calendars, pages
from participants.views import enrolment as enrolment_views
from participants.views import teams as team_views

app_name = "participants"

urlpatterns = [
    path("me/", pages.ProfileView.as_view(), name="me"),
    # Calendars. The feed answers without sign-in: its token (named slug for the URL walk) is the key.
    path("calendar/<slug:slug>.ics", calendars.calendar_feed, name="calendar_feed"),
    path("calendar/", calendars.MyCalendarView.as_view(), name="calendar_feeds"),
    path("calendar/cohorts/<slug:slug>/", calendars.CohortCalendarView.as_view(), name="cohort_calendar"),
    path("ics/cohorts/<slug:slug>.ics", calendars.cohort_ics, name="cohort_ics"),
    path("ics/sessions/<int:pk>.ics", calendars.session_ics, name="session_ics"),
    path("ics/runs/<int:pk>.ics", calendars.run_ics, name="run_ics"),
    # Forming a run's teams (coordinators and the cohort's facilitators).
    path("runs/<int:pk>/teams/", team_views.TeamAssignmentView.as_view(), name="run_teams"),
    # Enrolment (coordinators): one by one, roster import and export, waiting list, status changes.
    path("cohorts/<slug:slug>/enrol/", enrolment_views.EnrolView.as_view(), name="enrol"),
    path("cohorts/<slug:slug>/roster/import/", enrolment_views.RosterImportView.as_view(), name="roster_import"),
    path("cohorts/<slug:slug>/roster/export/", enrolment_views.RosterExportView.as_view(), name="roster_export"),
    path("cohorts/<slug:slug>/waitlist/", enrolment_views.WaitlistView.as_view(), name="waitlist"),
    path("roster-imports/<int:pk>/", enrolment_views.RosterPreviewView.as_view(), name="roster_preview"),
    path("enrolments/<int:pk>/status/", enrolment_views.EnrolmentStatusView.as_view(), name="enrolment_status"),
    # Attendance per session (the cohort's facilitators and coordinators).
    path("sessions/<int:pk>/attendance/", attendance_views.SessionAttendanceView.as_view(), name="attendance"),
]
