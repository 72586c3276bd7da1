"""The people and enrolment API: profiles, enrolments with their history, and moving a waiting list up."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.requests import acting_user
from audit.views import AuditedReadMixin
from core.permissions import object_for
from core.viewsets import ServiceViewSet
from participants import selectors, services
from participants.api.serializers import (
    EnrolmentInputSerializer,
    EnrolmentSerializer,
    EnrolmentStatusInputSerializer,
    ParticipantInputSerializer,
    ParticipantSelfUpdateSerializer,
    ParticipantSerializer,
    ParticipantUpdateSerializer,
)
from participants.filters import EnrolmentFilter, ParticipantFilter
from participants.models import Enrolment, EnrolmentStatusChange, Participant


class ParticipantViewSet(AuditedReadMixin, ServiceViewSet):
    """Profiles: coordinators see everyone, facilitators their cohorts' people, a participant themself."""

    audit_entity = "participant"
    audit_subject = "user_id"

    queryset = Participant.objects.all()
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    search_fields = ("user__email", "user__first_name", "user__last_name", "position")
    ordering_fields = ("user__last_name", "user__email", "country")

    def get_queryset(self) -> QuerySet[Participant]:
        return Participant.objects.visible_to(self.request.user).select_related("user", "agency")

    @extend_schema(request=ParticipantInputSerializer, responses={201: ParticipantSerializer})
    def create(self, request: Request) -> Response:
        participant = services.participant_create(**self.validated_input(ParticipantInputSerializer))
        return self.respond(participant, status_code=201)

    @extend_schema(
        request=ParticipantUpdateSerializer,
        responses=ParticipantSerializer,
        description="Coordinators change any field. Participants change their own `position` and "
        "`preferred_language` only; other fields are refused with HTTP 400.",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        serializer_class: type[serializers.Serializer] = ParticipantSelfUpdateSerializer
        if request.user.has_perm("participants.manage_participant", participant):
            serializer_class = ParticipantUpdateSerializer
        data = self.validated_input(serializer_class, partial=True)
        return self.respond(services.participant_update(participant=participant, data=data))


class EnrolmentViewSet(ServiceViewSet):
    """Who takes part in which cohort, with the history of each enrolment's status."""

    queryset = Enrolment.objects.all()
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    search_fields = ("participant__user__email", "participant__user__last_name")
    ordering_fields = ("created_at", "status", "participant__user__last_name")
    rules_actions = {"change_status": "change"}

    def get_queryset(self) -> QuerySet[Enrolment]:
        history = EnrolmentStatusChange.objects.select_related("changed_by")
        return (
            Enrolment.objects.visible_to(self.request.user)
            .select_related("participant__user")
            .prefetch_related(Prefetch("status_changes", queryset=history))
        )

    @extend_schema(request=EnrolmentInputSerializer, responses={201: EnrolmentSerializer})
    def create(self, request: Request) -> Response:
        """Enrol a participant, or a person by email (someone new is invited to set a password)."""
        data = self.validated_input(EnrolmentInputSerializer)
        profile = {key: data.pop(key) for key in EnrolmentInputSerializer.PROFILE_FIELDS if key in data}
        enrolment = services.enrolment_create_for_person(by=acting_user(request), profile=profile, **data)
        return self.respond(enrolment, status_code=201)

    @extend_schema(request=EnrolmentStatusInputSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: str) -> Response:
        """Move the enrolment to another status; the change is recorded with who and when."""
        enrolment = self.get_object()
        data = self.validated_input(EnrolmentStatusInputSerializer)
        return self.respond(services.enrolment_status_change(enrolment=enrolment, by=acting_user(request), **data))


class CohortWaitlistPromoteView(APIView):
    """Give the cohort's free places to its waiting list, first come first served (coordinators).

    Withdrawals do this by themselves; call it after raising the cohort's capacity.
    """

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses=EnrolmentSerializer(many=True))
    def post(self, request: Request, pk: Any) -> Response:
        cohort = object_for(
            user=request.user,
            queryset=selectors.cohort_queryset(user=request.user),
            perm="participants.manage_cohort_enrolment",
            pk=pk,
        )
        promoted = services.cohort_waitlist_promote(cohort=cohort, by=acting_user(request))
        fresh = (
            Enrolment.objects.filter(pk__in=[e.pk for e in promoted])
            .select_related("participant__user")
            .prefetch_related("status_changes__changed_by")
            .order_by("waitlisted_at", "pk")
        )
        return Response(EnrolmentSerializer(fresh, many=True).data)
