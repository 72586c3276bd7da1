"""Questionnaires given to cohorts and runs: ``/api/v1/questionnaire-administrations/``.

Lists and details are those of the cohorts the user belongs to (staff and participants, so that
participants know what to answer), filtered by ``?cohort=`` or ``?run=``. The cohort's staff and
coordinators give one (POST), change its times (PATCH), ``close`` it now, or DELETE it while nobody
has answered. Refusals answer 400 in the one error shape and change nothing.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from core.api import EnumField, VisibleRelatedField
from core.filters import IdFilter
from core.viewsets import ServiceViewSet
from exercises.models import ExerciseRun
from reflections import selectors, services
from reflections.models import Administration, Questionnaire, Reminder
from trainings.models import Cohort


class ReminderSerializer(serializers.Serializer):
    kind = EnumField(Reminder.Kind)
    due_at = serializers.DateTimeField()
    sent = serializers.SerializerMethodField()

    def get_sent(self, reminder: Any) -> bool:
        return reminder.swept_at is not None


class AdministrationSerializer(serializers.ModelSerializer):
    response_count = serializers.IntegerField(read_only=True)
    stage = EnumField(Administration.Stage, read_only=True)
    reminders = ReminderSerializer(many=True, read_only=True)

    class Meta:
        model = Administration
        fields = (
            "id",
            "questionnaire",
            "cohort",
            "run",
            "stage",
            "opens_at",
            "closes_at",
            "min_respondents",
            "remind_after_hours",
            "response_count",
            "reminders",
        )
        read_only_fields = fields


class AdministrationUpdateSerializer(serializers.Serializer):
    stage = EnumField(Administration.Stage, required=False)
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)
    min_respondents = serializers.IntegerField(required=False, min_value=2, max_value=1000)
    remind_after_hours = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class AdministrationInputSerializer(AdministrationUpdateSerializer):
    questionnaire = VisibleRelatedField(queryset=Questionnaire.objects.all())
    cohort = VisibleRelatedField(queryset=Cohort.objects.all(), required=False, allow_null=True)
    run = VisibleRelatedField(queryset=ExerciseRun.objects.all(), required=False, allow_null=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class AdministrationFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id", help_text=_("A cohort id."))
    run = IdFilter(field_name="run_id", help_text=_("A run id."))

    class Meta:
        model = Administration
        fields = ("cohort", "run")


class AdministrationViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    queryset = Administration.objects.all()
    serializer_class = AdministrationSerializer
    filterset_class = AdministrationFilter
    http_method_names = ("get", "post", "patch", "delete", "head", "options")  # type: ignore[assignment]
    rules_actions = {"close": "change"}

    def get_queryset(self) -> QuerySet[Administration]:
        return selectors.administration_queryset(user=self.request.user).prefetch_related("reminders")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return {"create": AdministrationInputSerializer, "partial_update": AdministrationUpdateSerializer}.get(
            self.action or "", AdministrationSerializer
        )

    def _answer(self, administration: Administration, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=administration.pk)
        return Response(AdministrationSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=AdministrationInputSerializer, responses={201: AdministrationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(AdministrationInputSerializer)
        administration = services.administration_create(
            by=acting_user(request),
            questionnaire=data.pop("questionnaire"),
            cohort=data.pop("cohort", None),
            run=data.pop("run", None),
            data=data,
        )
        return self._answer(administration, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=AdministrationUpdateSerializer, responses={200: AdministrationSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        administration = services.administration_update(
            administration=self.get_object(),
            by=acting_user(request),
            data=self.validated_input(AdministrationUpdateSerializer, partial=True),
        )
        return self._answer(administration)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.administration_delete(administration=self.get_object(), by=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: AdministrationSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Close it now: no more answers, no reminders left to send."""
        administration = services.administration_close(administration=self.get_object(), by=acting_user(request))
        return self._answer(administration)
