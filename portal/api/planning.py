"""Cohorts and sessions in the API: their writes span domains (waiting list, runs, notices), so they sit here."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from core.viewsets import ServiceViewSet
from exercises.conflicts import schedule_warnings
from portal import services
from trainings import services as trainings_services
from trainings.api.schedule import (
    ConflictResponseMixin,
    ScheduleConflictErrorSerializer,
    SessionCancelSerializer,
    warned,
    with_warnings,
)
from trainings.api.serializers import (
    CohortInputSerializer,
    CohortRetentionHoldSerializer,
    CohortSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
)
from trainings.filters import CohortFilter, SessionFilter
from trainings.models import Cohort, Session
from trainings.selectors import cohort_list_with_places


class CohortViewSet(ServiceViewSet):
    """Cohorts: coordinators see all, facilitators theirs, participants the ones they are in."""

    queryset = Cohort.objects.all()
    serializer_class = CohortSerializer
    filterset_class = CohortFilter
    search_fields = ("name", "course__title")
    ordering_fields = ("start_date", "end_date", "name")
    http_method_names = ("get", "post", "patch", "delete", "head", "options")  # type: ignore[assignment]
    rules_actions = {
        "retention_hold": "trainings.hold_cohort_data",
        "retention_release": "trainings.hold_cohort_data",
    }

    def get_queryset(self) -> QuerySet[Cohort]:
        return (
            cohort_list_with_places(user=self.request.user)
            .select_related("retention_held_by")
            .prefetch_related("coordinators", "facilitators")
        )

    @extend_schema(request=CohortInputSerializer, responses={201: CohortSerializer})
    def create(self, request: Request) -> Response:
        cohort = trainings_services.cohort_create(**self.validated_input(CohortInputSerializer))
        return self.respond(cohort, status_code=201)

    @extend_schema(request=CohortInputSerializer, responses=CohortSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        cohort = services.cohort_update(
            cohort=self.get_object(),
            data=self.validated_input(CohortInputSerializer, partial=True),
            by=acting_user(self.request),
        )
        return self.respond(cohort)

    @extend_schema(request=CohortRetentionHoldSerializer, responses=CohortSerializer)
    @action(detail=True, methods=["post"], url_path="retention-hold", url_name="retention-hold")
    def retention_hold(self, request: Request, pk: str) -> Response:
        """Keep the cohort's personal data past the retention period, for the reason given (coordinators, and
        the cohort's named coordinators). Holding again replaces the reason."""
        data = self.validated_input(CohortRetentionHoldSerializer)
        cohort = trainings_services.cohort_retention_hold(
            cohort=self.get_object(), by=acting_user(request), reason=data["reason"]
        )
        return self.respond(cohort)

    @extend_schema(request=None, responses=CohortSerializer)
    @retention_hold.mapping.delete
    def retention_release(self, request: Request, pk: str) -> Response:
        """End the hold: the retention sweep anonymises the cohort's people once they are due."""
        cohort = trainings_services.cohort_retention_release(cohort=self.get_object(), by=acting_user(request))
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
        warned(fresh, schedule_warnings(session=fresh))
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
        session = services.session_cancel(session=self.get_object(), reason=data.get("reason", ""))
        return self.respond(session)

    @extend_schema(request=None, responses={200: SessionWithWarningsSerializer, 400: ScheduleConflictErrorSerializer})
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str) -> Response:
        """Schedule a cancelled session again: it takes its slot back, so it is checked for conflicts."""
        session = services.session_reinstate(session=self.get_object())
        return self.respond_scheduled(session)
