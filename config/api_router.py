"""One router for every app's API under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from certificates.api.urls import urlpatterns as certificates_urlpatterns
from certificates.api.views import (
    CertificateIssueViewSet,
    CertificatePolicyViewSet,
    CertificateViewSet,
    CertificateZipViewSet,
    EligibilityOverrideViewSet,
    EligibilityViewSet,
)
from conduct.api.clock import RunClockViewSet
from conduct.api.debrief import RunSummaryViewSet, RunTimelineViewSet
from conduct.api.hotwash import HotwashItemViewSet
from conduct.api.injects import InjectBoardViewSet, InjectReleaseViewSet
from conduct.api.observations import ObservationViewSet
from conduct.api.rooms import InjectDeliveryViewSet, MessageViewSet, TeamRoomViewSet
from exercises.api.cells import RunCellMemberViewSet
from exercises.api.courses import CoursePlanViewSet
from exercises.api.exercises import ExerciseViewSet
from exercises.api.runs import ExerciseRunViewSet
from jobs.api.views import JobViewSet
from participants.api.roster import RosterImportViewSet
from participants.api.urls import urlpatterns as participants_urlpatterns
from participants.api.views import EnrolmentViewSet, ParticipantViewSet
from portal.api.calendars import CalendarFeedViewSet
from portal.api.planning import CohortViewSet, SessionViewSet
from privacy.api import PersonEraseAPIView
from privacy.api_export import PersonExportViewSet
from reflections.api.administrations import AdministrationViewSet
from reflections.api.answering import MyReflectionViewSet
from reflections.api.questionnaires import QuestionnaireViewSet
from reports.api.views import CohortReportViewSet, RunReportViewSet
from reports.api_actions import ImprovementActionViewSet, ProgrammeView
from trainings.api.views import AgencyViewSet, CourseViewSet, LearningObjectiveViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("learning-objectives", LearningObjectiveViewSet, basename="learningobjective")
router.register("courses", CourseViewSet, basename="course")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("sessions", SessionViewSet, basename="session")
# The facilitator guide, and authoring: create, update, duplicate, master events list.
router.register("exercises", ExerciseViewSet, basename="exercise")
# Runs, with their teams as actions: /exercise-runs/{pk}/teams/, .../teams/propose/, .../teams/confirm/.
router.register("exercise-runs", ExerciseRunViewSet, basename="exerciserun")
# A run's phase clock: GET it, POST start/, advance/, pause/, resume/, extend/, finish/.
router.register("run-clocks", RunClockViewSet, basename="runclock")
# Who is in a run's simulation cell: the cohort's staff, and guests invited by e-mail (POST with `email`).
router.register("cell-members", RunCellMemberViewSet, basename="runcellmember")
router.register("observations", ObservationViewSet, basename="observation")
# A run's injects: GET the board, POST release/, skip/, adhoc/, auto-release/; the releases, read-only.
router.register("inject-boards", InjectBoardViewSet, basename="injectboard")
router.register("inject-releases", InjectReleaseViewSet, basename="injectrelease")
# A run's debrief: its timeline and summary (read only), and its hot-wash board.
router.register("run-timelines", RunTimelineViewSet, basename="runtimeline")
router.register("run-summaries", RunSummaryViewSet, basename="runsummary")
router.register("hotwash-items", HotwashItemViewSet, basename="hotwashitem")
# Debrief reports: JSON, PDF jobs (build/, jobs/, pdf/) and exports (reports.api.views).
router.register("run-reports", RunReportViewSet, basename="runreport")
router.register("cohort-reports", CohortReportViewSet, basename="cohortreport")
# The team rooms: a room's state (with its version), the injects released to teams (POST acknowledge/),
# and the messages between a run's teams and cell roles (POST read/).
router.register("team-rooms", TeamRoomViewSet, basename="teamroom")
router.register("inject-deliveries", InjectDeliveryViewSet, basename="injectdelivery")
router.register("messages", MessageViewSet, basename="message")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
# A course's exercises in order and its objective coverage (exercises owns them; trainings cannot).
router.register("course-plans", CoursePlanViewSet, basename="courseplan")
router.register("calendar-feeds", CalendarFeedViewSet, basename="calendarfeed")
router.register("roster-imports", RosterImportViewSet, basename="rosterimport")
# Reflection questionnaires with nested questions; actions duplicate/, reorder/, export/, import/.
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
# Questionnaires given to cohorts and runs (?cohort=, ?run=); action close/.
router.register("questionnaire-administrations", AdministrationViewSet, basename="questionnaireadministration")
# The caller's own questionnaires: list, detail (questions), draft/ (GET, PUT), submit/, submission/.
router.register("my-reflections", MyReflectionViewSet, basename="myreflection")
# Background jobs (certificates, archives, reports, long imports): read-only; download/ gives the result file.
router.register("jobs", JobViewSet, basename="job")
# A person's data export (POST; yourself, or a coordinator for anyone): 202 with the job (privacy.api_export).
router.register("privacy/exports", PersonExportViewSet, basename="personexport")
# Certificates: mine or my cohorts' (actions download/, revoke/, reissue/, render/); a cohort's rules by
# its id; eligibility (?cohort=); overrides; POST to start issuing or a ZIP (202 with the job).
# Public: /certificates/verify/{code}/ (certificates.api.urls, before the router's routes).
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("certificate-policies", CertificatePolicyViewSet, basename="certificatepolicy")
router.register("certificate-eligibility", EligibilityViewSet, basename="certificateeligibility")
router.register("eligibility-overrides", EligibilityOverrideViewSet, basename="eligibilityoverride")
router.register("certificate-issues", CertificateIssueViewSet, basename="certificateissue")
router.register("certificate-zips", CertificateZipViewSet, basename="certificatezip")

# The improvement plan's actions (?run=, ?cohort=, ?agency=, ?status=, ?overdue=) and the programme's figures.
router.register("improvement-actions", ImprovementActionViewSet, basename="improvementaction")

app_name = "api"
# Plain routes under a cohort or a session: its roster, roster export, waiting list, attendance.
urlpatterns = [
    *certificates_urlpatterns,
    # The programme's figures: one document (reports.api_actions.ProgrammeView).
    path("programme/", ProgrammeView.as_view(), name="programme-list"),
    # A coordinator erases a person (privacy.api): POST {"reason", "confirm_email"}.
    path("users/<int:pk>/erase/", PersonEraseAPIView.as_view(), name="person-erase"),
    *router.urls,
    *participants_urlpatterns,
]
