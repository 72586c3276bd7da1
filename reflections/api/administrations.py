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
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.exports import DELIMITERS, export_delimiter
from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.requests import acting_user
from audit.services import audit_read
from core.api import EnumField, VisibleRelatedField
from core.exceptions import ApplicationError
from core.filters import IdFilter
from core.tabular import XLSX_CONTENT_TYPE, table_response
from core.viewsets import ServiceViewSet
from exercises.models import ExerciseRun
from reflections import selectors, services
from reflections.api.questionnaires import CSVRenderer, XLSXRenderer
from reflections.api.results import ResultsSerializer
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
    rules_actions = {
        "close": "change",
        "results": "reflections.follow_administration",
        "export": "reflections.follow_administration",
    }

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

    @extend_schema(responses={200: ResultsSerializer})
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Aggregated results; only the counts while an anonymous questionnaire has too few respondents."""
        administration = self.get_object()
        outcome = selectors.administration_results(administration=administration)
        audit_read(action="reflection_results.view", target=administration)
        return Response(ResultsSerializer(outcome).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["csv", "xlsx"], description=_("csv (the default) or xlsx.")
            ),
            OpenApiParameter(
                DELIMITER_PARAMETER,
                OpenApiTypes.STR,
                enum=list(DELIMITERS),
                description=_("The CSV delimiter, remembered for your next export (comma at first)."),
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[CSVRenderer, XLSXRenderer, renderers.JSONRenderer])
    def export(self, request: Request, pk: str, **kwargs: Any) -> Any:
        """The answers, one row per response and one column per question; refused (400) below the threshold."""
        administration = self.get_object()
        fmt = request.accepted_renderer.format
        fmt = fmt if fmt in ("csv", "xlsx") else "csv"
        delimiter = export_delimiter(user=acting_user(request), requested=request.query_params.get(DELIMITER_PARAMETER))
        table = selectors.export_table(administration=administration)
        if table is None:
            raise ApplicationError(
                _("Too few people have answered this anonymous questionnaire: its answers are exported from %(n)d.")
                % {"n": administration.min_respondents}
            )
        headers, rows = table
        audit_read(
            action="reflection_results.export", target=administration, detail={"count": len(rows), "format": fmt}
        )
        return table_response(
            filename=f"reflections-{administration.pk}-answers",
            headers=headers,
            rows=rows,
            fmt=fmt,
            delimiter=delimiter,
        )
