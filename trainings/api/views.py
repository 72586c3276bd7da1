from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.viewsets import ServiceViewSet
from trainings import services
from trainings.api.schedule import (
    ConflictResponseMixin,
    ScheduleConflictErrorSerializer,
    SessionCancelSerializer,
    warned,
    with_warnings,
)
from trainings.api.serializers import (
    AgencySerializer,
    CohortInputSerializer,
    CohortSerializer,
    CourseInputSerializer,
    CourseSerializer,
    LearningObjectiveSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
)
from trainings.conflicts import session_warnings
from trainings.filters import AgencyFilter, CohortFilter, CourseFilter, LearningObjectiveFilter, SessionFilter
from trainings.models import Agency, Cohort, Course, LearningObjective, Session


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


def _with_places_taken(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    # Enrolments belong to a higher layer: reached through the reverse relation, never imported.
    enrolment_model: Any = Cohort._meta.get_field("enrolments").related_model
    taken = (
        enrolment_model.objects.filter(cohort=OuterRef("pk"))
        .holding_place()
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(places_taken=Coalesce(Subquery(taken), 0))


class CohortViewSet(ServiceViewSet):
    """Cohorts: coordinators see all, facilitators theirs, participants the ones they are in."""

    queryset = Cohort.objects.all()
    serializer_class = CohortSerializer
    filterset_class = CohortFilter
    search_fields = ("name", "course__title")
    ordering_fields = ("start_date", "end_date", "name")

    def get_queryset(self) -> QuerySet[Cohort]:
        queryset = (
            Cohort.objects.visible_to(self.request.user)
            .select_related("course")
            .prefetch_related("coordinators", "facilitators")
        )
        return _with_places_taken(queryset)

    @extend_schema(request=CohortInputSerializer, responses={201: CohortSerializer})
    def create(self, request: Request) -> Response:
        cohort = services.cohort_create(**self.validated_input(CohortInputSerializer))
        return self.respond(cohort, status_code=201)

    @extend_schema(request=CohortInputSerializer, responses=CohortSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        cohort = services.cohort_update(
            cohort=self.get_object(),
            data=self.validated_input(CohortInputSerializer, partial=True),
            by=self.acting_user,
        )
        return self.respond(cohort)


SessionWithWarningsSerializer = with_warnings(SessionSerializer)


class SessionViewSet(ConflictResponseMixin, ServiceViewSet):
    """The schedule: every session of the cohorts the user may see.

    Writes are checked for conflicts before saving: hard ones answer 400 with ``conflicts`` and
    save nothing; soft ones are saved and listed in the answer's ``warnings``.
    """

    queryset = Session.objects.all()
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    search_fields = ("title", "room")
    ordering_fields = ("starts_at", "ends_at", "title")
    rules_actions = {"cancel": "change", "reinstate": "change"}

    def get_queryset(self) -> QuerySet[Session]:
        return Session.objects.visible_to(self.request.user).select_related("cohort")

    def respond_scheduled(self, session: Session, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        warned(fresh, session_warnings(session=fresh))
        return Response(SessionWithWarningsSerializer(fresh, context=self.get_serializer_context()).data, status_code)

    @extend_schema(
        request=SessionInputSerializer,
        responses={201: SessionWithWarningsSerializer, 400: ScheduleConflictErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        session = services.session_create(**self.validated_input(SessionInputSerializer))
        return self.respond_scheduled(session, status_code=201)

    @extend_schema(
        request=SessionUpdateSerializer,
        responses={200: SessionWithWarningsSerializer, 400: ScheduleConflictErrorSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        session = services.session_update(
            session=self.get_object(), data=self.validated_input(SessionUpdateSerializer, partial=True)
        )
        return self.respond_scheduled(session)

    @extend_schema(request=SessionCancelSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel the session; its participants and facilitators are emailed after the change is saved."""
        data = self.validated_input(SessionCancelSerializer)
        session = services.session_cancel(session=self.get_object(), by=self.acting_user, reason=data.get("reason", ""))
        return self.respond(session)

    @extend_schema(request=None, responses={200: SessionWithWarningsSerializer, 400: ScheduleConflictErrorSerializer})
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str) -> Response:
        """Schedule a cancelled session again: it takes its slot back, so it is checked for conflicts."""
        session = services.session_reinstate(session=self.get_object(), by=self.acting_user)
        return self.respond_scheduled(session)
