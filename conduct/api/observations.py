"""The facilitators' observations over the API: ``/api/v1/observations/``.

Lists and details are the observations the user sees (the exercise staff's; participants never see
one), filtered by ``?run=``. POST records one in a run the user facilitates; PATCH changes one's
own. There is no DELETE. Refusals answer 400 in the one error shape and change nothing.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from audit.views import AuditedReadMixin
from conduct import selectors, services
from conduct.models import Observation
from core.api import VisibleRelatedField
from core.filters import IdFilter
from core.viewsets import ServiceViewSet
from exercises.models import Exercise, ExerciseRun, Inject, RunTeam
from trainings.models import LearningObjective


class ObservationSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField(allow_null=True)
    phase = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("The run's phase when it was recorded."))

    class Meta:
        model = Observation
        fields = (
            "id",
            "run",
            "author",
            "observed_at",
            "phase",
            "team",
            "rating",
            "objective",
            "inject",
            "text",
            "shareable",
        )
        read_only_fields = fields


class ObservationUpdateSerializer(serializers.Serializer):
    # Rows the user sees (the browsable API's forms list no more); the service refuses another run's
    # team, another exercise's inject and an objective of neither the exercise nor the course.
    team = VisibleRelatedField(queryset=RunTeam.objects.all(), allow_null=True, required=False)
    rating = serializers.IntegerField(allow_null=True, required=False, help_text=_("1 to 5."))
    objective = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), allow_null=True, required=False
    )
    inject = VisibleRelatedField(
        queryset=Inject.objects.all(),
        visible=lambda injects, user: injects.filter(exercise__in=Exercise.objects.visible_to(user)),
        allow_null=True,
        required=False,
    )
    text = serializers.CharField(required=False, max_length=services.OBSERVATION_MAX_LENGTH)
    shareable = serializers.BooleanField(required=False)


class ObservationInputSerializer(ObservationUpdateSerializer):
    run = VisibleRelatedField(queryset=ExerciseRun.objects.all())
    text = serializers.CharField(max_length=services.OBSERVATION_MAX_LENGTH)


class ObservationFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", help_text=_("A run id."))

    class Meta:
        model = Observation
        fields = ("run",)


class ObservationViewSet(AuditedReadMixin, ServiceViewSet):
    audit_entity = "observation"
    queryset = Observation.objects.all()
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    # Recording is asked of the run (conduct.add_observation) by the service: 400 outside one's runs.
    rules_actions = {"create": "view"}
    input_serializers: dict[str, type[serializers.Serializer]] = {
        "create": ObservationInputSerializer,
        "partial_update": ObservationUpdateSerializer,
    }

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.input_serializers.get(self.action or "", ObservationSerializer)

    def get_queryset(self) -> QuerySet[Observation]:
        return selectors.observation_queryset(user=self.request.user)

    @extend_schema(request=ObservationInputSerializer, responses={201: ObservationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(ObservationInputSerializer)
        observation = services.observation_create(by=acting_user(request), **data)
        return self._answer(observation, status_code=201)

    @extend_schema(request=ObservationUpdateSerializer, responses={200: ObservationSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        observation = services.observation_update(
            observation=self.get_object(),
            by=acting_user(request),
            data=self.validated_input(ObservationUpdateSerializer, partial=True),
        )
        return self._answer(observation)

    def _answer(self, observation: Observation, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=observation.pk)
        return Response(ObservationSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)
