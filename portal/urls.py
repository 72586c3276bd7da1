from django.urls import path

from portal.views import calendars, catalogue, exports, pages, planning

app_name = "portal"

urlpatterns = [
    path("objectives/<int:pk>/retire/", catalogue.ObjectiveRetireView.as_view(), name="objective_retire"),
    path("courses/<slug:slug>/", pages.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<slug:slug>/cohorts/new/", planning.CohortCreateView.as_view(), name="cohort_create"),
    # A cohort: its page, agenda (planning), sessions, schedule export and calendar.
    path("cohorts/<slug:slug>/", pages.CohortDetailView.as_view(), name="cohort_detail"),
    path("cohorts/<slug:slug>/edit/", planning.CohortUpdateView.as_view(), name="cohort_update"),
    path("cohorts/<slug:slug>/agenda/", planning.CohortAgendaView.as_view(), name="cohort_agenda"),
    path("cohorts/<slug:slug>/sessions/new/", planning.SessionCreateView.as_view(), name="session_create"),
    path("cohorts/<slug:slug>/schedule/export/", exports.cohort_schedule_export, name="cohort_schedule_export"),
    path("cohorts/<slug:slug>/calendar/", calendars.CohortCalendarView.as_view(), name="cohort_calendar"),
    path("cohorts/<slug:slug>/calendar.ics", calendars.cohort_ics, name="cohort_ics"),
    path("sessions/<int:pk>/edit/", planning.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/cancel/", planning.SessionCancelView.as_view(), name="session_cancel"),
    path("sessions/<int:pk>/reinstate/", planning.SessionReinstateView.as_view(), name="session_reinstate"),
    path("sessions/<int:pk>/calendar.ics", calendars.session_ics, name="session_ics"),
    path("runs/<int:pk>/calendar.ics", calendars.run_ics, name="run_ics"),
    # Calendar feeds. A feed answers without sign-in: its token (named slug for the URL walk) is the key.
    path("calendar/", calendars.MyCalendarView.as_view(), name="calendar_feeds"),
    path("calendar/<slug:slug>.ics", calendars.calendar_feed, name="calendar_feed"),
]
