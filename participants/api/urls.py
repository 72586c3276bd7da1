"""Plain API routes under a cohort or a session (the router's resources are in config/api_router.py).

Added to config/api_router.py's urlpatterns: names end up as ``api:<name>``.
"""

from django.urls import path

from participants.api.attendance import SessionAttendanceAllPresentView, SessionAttendanceView
from participants.api.roster import CohortRosterExportView, CohortRosterView
from participants.api.views import CohortWaitlistPromoteView

urlpatterns = [
    path("cohorts/<int:pk>/roster/", CohortRosterView.as_view(), name="cohort-roster"),
    path("cohorts/<int:pk>/roster/export/", CohortRosterExportView.as_view(), name="cohort-roster-export"),
    path("cohorts/<int:pk>/waitlist/promote/", CohortWaitlistPromoteView.as_view(), name="cohort-waitlist-promote"),
    path("sessions/<int:pk>/attendance/", SessionAttendanceView.as_view(), name="session-attendance"),
    path(
        "sessions/<int:pk>/attendance/all-present/",
        SessionAttendanceAllPresentView.as_view(),
        name="session-attendance-all-present",
    ),
]
