"""One router for every app's API under /api/v1/."""

from rest_framework.routers import DefaultRouter

from exercises.api.views import ExerciseRunViewSet, ExerciseViewSet
from participants.api.views import EnrolmentViewSet, ParticipantViewSet
from trainings.api.views import (
    AgencyViewSet,
    CohortViewSet,
    CourseViewSet,
    LearningObjectiveViewSet,
    SessionViewSet,
)

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("learning-objectives", LearningObjectiveViewSet, basename="learningobjective")
router.register("courses", CourseViewSet, basename="course")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("sessions", SessionViewSet, basename="session")
router.register("exercises", ExerciseViewSet, basename="exercise")
router.register("exercise-runs", ExerciseRunViewSet, basename="exerciserun")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")

app_name = "api"
urlpatterns = router.urls
