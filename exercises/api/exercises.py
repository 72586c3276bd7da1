"""Exercises over the API: the facilitator guide for those who may see it; coordinators write it, make
variants, and carry its master events list out and in."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.exports import DELIMITERS, export_delimiter
from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.tabular import XLSX_CONTENT_TYPE
from core.viewsets import ServiceViewSet
from exercises import services
from exercises.api.authoring import (
    ExerciseDuplicateSerializer,
    ExerciseUpdateSerializer,
    ExerciseWriteSerializer,
    MelImportErrorSerializer,
    MelImportResultSerializer,
    MelTableSerializer,
    MelUploadSerializer,
    api_plan_errors,
    flat_errors,
    plan_from_input,
)
from exercises.api.serializers import ExerciseSerializer
from exercises.filters import ExerciseFilter
from exercises.mel.export import mel_response, mel_rows
from exercises.mel.format import COLUMNS as MEL_COLUMNS
from exercises.mel.format import MelImportError
from exercises.models import Exercise, Inject
from exercises.plans import PARTS


class CSVRenderer(renderers.JSONRenderer):
    """Lets ``?format=csv`` choose the CSV download; errors still render as JSON text."""

    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(renderers.JSONRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


class ExerciseViewSet(ServiceViewSet):
    """The facilitator guide of each exercise, for coordinators and the facilitators who run it.

    POST and PATCH (coordinators) take the exercise and its plan (phases, team roles, injects) and
    save all or nothing. ``duplicate`` makes a variant; ``export`` and ``import`` carry the master
    events list.
    """

    queryset = Exercise.objects.all()
    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilter
    search_fields = ("name",)
    ordering_fields = ("name", "planned_minutes")
    # Duplicating needs the exercise in sight (404 otherwise) and the right to add exercises (403).
    rules_actions = {"duplicate": "add", "export": "view", "import_new": "add", "import_plan": "change"}

    # What each write takes: the browsable API's forms show these, not the guide's shape.
    input_serializers: dict[str, type[serializers.Serializer]] = {
        "create": ExerciseWriteSerializer,
        "partial_update": ExerciseUpdateSerializer,
        "duplicate": ExerciseDuplicateSerializer,
        "import_new": MelUploadSerializer,
        "import_plan": MelUploadSerializer,
    }

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.input_serializers.get(self.action or "", ExerciseSerializer)

    def get_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user).prefetch_related(
            "learning_objectives",
            "phases",
            "team_roles__positions",
            "cell_roles",
            Prefetch(
                "injects",
                queryset=Inject.objects.prefetch_related(
                    "target_roles",
                    "learning_objectives",
                    "attachments",
                ),
            ),
            "handouts",
        )

    def validated_input(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict:
        """The input, or a 400 whose errors are keyed like the service's (``phases[1].order``)."""
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        if not serializer.is_valid():
            raise exceptions.ValidationError(flat_errors(serializer.errors))
        return dict(serializer.validated_data)

    def respond(self, instance: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(ExerciseSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=ExerciseWriteSerializer, responses={201: ExerciseSerializer})
    def create(self, request: Request, **kwargs: Any) -> Response:
        data = self.validated_input(ExerciseWriteSerializer)
        plan = plan_from_input(data)
        for part in (*PARTS, "cell_roles"):
            data.pop(part, None)
        try:
            exercise = services.exercise_create(**data, plan=plan)
        except ApplicationError as error:
            raise exceptions.ValidationError(api_plan_errors(error.message_dict)) from error
        return self.respond(exercise, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ExerciseUpdateSerializer, responses=ExerciseSerializer)
    def partial_update(self, request: Request, pk: str, **kwargs: Any) -> Response:
        exercise = self.get_object()
        data = self.validated_input(ExerciseUpdateSerializer)
        plan = plan_from_input(data) if "phases" in data else None
        for part in (*PARTS, "cell_roles"):
            data.pop(part, None)
        try:
            exercise = services.exercise_update(exercise=exercise, data=data, plan=plan)
        except ApplicationError as error:
            raise exceptions.ValidationError(api_plan_errors(error.message_dict)) from error
        return self.respond(exercise)

    @extend_schema(request=ExerciseDuplicateSerializer, responses={201: ExerciseSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """A variant of the exercise (for another country, say): phases, teams, injects and handout titles copied."""
        exercise = self.get_object()
        variant = services.exercise_duplicate(exercise=exercise, **self.validated_input(ExerciseDuplicateSerializer))
        return self.respond(variant, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["csv", "xlsx", "json"],
                description=gettext_lazy("csv (the default) or xlsx downloads the file; json gives the rows."),
            ),
            OpenApiParameter(
                DELIMITER_PARAMETER,
                OpenApiTypes.STR,
                enum=list(DELIMITERS),
                description=gettext_lazy("The CSV delimiter, remembered for your next export (comma at first)."),
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/json"): MelTableSerializer,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[CSVRenderer, XLSXRenderer, renderers.JSONRenderer])
    def export(self, request: Request, pk: str, **kwargs: Any) -> Any:
        """The exercise's master events list."""
        exercise = self.get_object()
        fmt = request.accepted_renderer.format
        if fmt in ("csv", "xlsx"):
            delimiter = export_delimiter(
                user=acting_user(request), requested=request.query_params.get(DELIMITER_PARAMETER)
            )
            return mel_response(exercise=exercise, fmt=fmt, delimiter=delimiter)
        rows = [["" if v is None else str(v) for v in row] for row in mel_rows(exercise=exercise)]
        return Response({"columns": [header for _key, header in MEL_COLUMNS], "rows": rows})

    def _import(self, exercise: Exercise | None) -> Response:
        upload = self.validated_input(MelUploadSerializer)["file"]
        try:
            result = services.exercise_mel_import(
                content=upload.read(), filename=upload.name, exercise=exercise, size=upload.size
            )
        except MelImportError as error:
            body = MelImportErrorSerializer({"detail": error.message, "errors": error.errors}).data
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        fresh = self.get_queryset().get(pk=result.exercise.pk)
        body = MelImportResultSerializer(
            {"exercise": fresh, "created": result.created, "warnings": result.warnings},
            context=self.get_serializer_context(),
        ).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        operation_id="exercises_import_new",
        request={"multipart/form-data": MelUploadSerializer},
        responses={201: MelImportResultSerializer, 400: MelImportErrorSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_new(self, request: Request, **kwargs: Any) -> Response:
        """A master events list becomes a new exercise: all rows or none, every problem by line and column."""
        return self._import(None)

    @extend_schema(
        operation_id="exercises_import_plan",
        request={"multipart/form-data": MelUploadSerializer},
        responses={200: MelImportResultSerializer, 400: MelImportErrorSerializer},
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_plan(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """A master events list replaces the exercise's phases, teams and injects, matched by number."""
        return self._import(self.get_object())
