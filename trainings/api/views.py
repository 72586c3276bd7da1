from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.viewsets import ServiceViewSet
from trainings import services
from trainings.api.serializers import (
    AgencySerializer,
    CourseInputSerializer,
    CourseSerializer,
    LearningObjectiveSerializer,
)
from trainings.filters import AgencyFilter, CourseFilter, LearningObjectiveFilter
from trainings.models import Agency, Course, LearningObjective


class AgencyViewSet(ServiceViewSet):
    """Agencies that send people to training. Everyone signed in reads; coordinators write."""

    queryset = Agency.objects.all()
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    search_fields = ("name",)
    ordering_fields = ("name", "country", "kind")

    @extend_schema(request=AgencySerializer, responses={201: AgencySerializer})
    def create(self, request: Request) -> Response:
        agency = services.agency_create(**self.validated_input(AgencySerializer))
        return self.respond(agency, status_code=201)

    @extend_schema(request=AgencySerializer, responses=AgencySerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        agency = services.agency_update(
            agency=self.get_object(), data=self.validated_input(AgencySerializer, partial=True)
        )
        return self.respond(agency)


class LearningObjectiveViewSet(ServiceViewSet):
    """The catalogue of learning objectives. Retired ones stay listed with ``is_active`` false."""

    queryset = LearningObjective.objects.all()
    serializer_class = LearningObjectiveSerializer
    filterset_class = LearningObjectiveFilter
    search_fields = ("code", "title")
    ordering_fields = ("order", "code", "title")
    rules_actions = {"retire": "change"}

    @extend_schema(request=LearningObjectiveSerializer, responses={201: LearningObjectiveSerializer})
    def create(self, request: Request) -> Response:
        objective = services.learning_objective_create(**self.validated_input(LearningObjectiveSerializer))
        return self.respond(objective, status_code=201)

    @extend_schema(request=LearningObjectiveSerializer, responses=LearningObjectiveSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        objective = services.learning_objective_update(
            objective=self.get_object(), data=self.validated_input(LearningObjectiveSerializer, partial=True)
        )
        return self.respond(objective)

    @extend_schema(request=None, responses=LearningObjectiveSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        """Stop offering the objective for new courses; records that use it keep it."""
        return self.respond(services.learning_objective_retire(objective=self.get_object()))


class CourseViewSet(ServiceViewSet):
    queryset = Course.objects.all()
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    search_fields = ("title",)
    ordering_fields = ("title",)

    def get_queryset(self) -> QuerySet[Course]:
        return Course.objects.visible_to(self.request.user).prefetch_related("learning_objectives")

    @extend_schema(request=CourseInputSerializer, responses={201: CourseSerializer})
    def create(self, request: Request) -> Response:
        course = services.course_create(**self.validated_input(CourseInputSerializer))
        return self.respond(course, status_code=201)

    @extend_schema(request=CourseInputSerializer, responses=CourseSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        course = services.course_update(
            course=self.get_object(), data=self.validated_input(CourseInputSerializer, partial=True)
        )
        return self.respond(course)
