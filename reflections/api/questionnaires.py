"""Questionnaires over the API: ``/api/v1/questionnaires/`` with their questions and choices nested.

Lists and details are the questionnaires the user may see (coordinators all; facilitators templates,
their own and those given to their cohorts; participants none). POST creates one (with questions);
PATCH changes its fields and, when ``questions`` is given, makes its questions exactly that list
(an item with ``id`` changes that question; left-out questions are deleted unless answered). DELETE
removes an unused one. Actions: ``duplicate``, ``reorder``, ``export`` (CSV/XLSX) and ``import``.
Refusals answer 400 in the one error shape and change nothing.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.exports import DELIMITERS, export_delimiter
from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.requests import acting_user
from core.api import EnumField, ErrorSerializer, VisibleRelatedField
from core.tabular import XLSX_CONTENT_TYPE
from core.viewsets import ServiceViewSet
from exercises.models import Exercise
from reflections import selectors, services
from reflections.models import Choice, Question, Questionnaire
from reflections.services import ChoiceInput, QuestionInput
from reflections.services.transfer import questions_rows
from trainings.api.serializers import language_field
from trainings.models import LearningObjective


class ChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ("id", "order", "key", "label", "translations")
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    kind = EnumField(Question.Kind, read_only=True)
    objective = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    choices = ChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = (
            "id",
            "order",
            "kind",
            "text",
            "help_text",
            "required",
            "objective",
            "scale_max",
            "low_label",
            "high_label",
            "translations",
            "choices",
        )
        read_only_fields = fields


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    created_by = serializers.StringRelatedField(allow_null=True)
    language = language_field(read_only=True)

    class Meta:
        model = Questionnaire
        fields = (
            "id",
            "title",
            "introduction",
            "is_anonymous",
            "is_template",
            "language",
            "exercise",
            "duplicated_from",
            "created_by",
            "questions",
        )
        read_only_fields = fields


class ChoiceInputSerializer(serializers.Serializer):
    key = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=gettext_lazy("Made from the label when empty.")
    )
    # Declared fields, popped by DRF's metaclass: the Field attributes of the same names stay.
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]
    translations = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class QuestionInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text=gettext_lazy("An existing question's id, to change it."))
    kind = EnumField(Question.Kind)
    text = serializers.CharField(max_length=10_000)
    # Declared fields, popped by DRF's metaclass: the Field attributes of the same names stay.
    help_text = serializers.CharField(required=False, allow_blank=True, max_length=255)  # type: ignore[assignment]
    required = serializers.BooleanField(required=False, default=False)  # type: ignore[assignment]
    objective = serializers.SlugRelatedField(
        slug_field="code", queryset=LearningObjective.objects.all(), required=False, allow_null=True
    )
    scale_max = serializers.IntegerField(required=False, allow_null=True)
    low_label = serializers.CharField(required=False, allow_blank=True, max_length=80)
    high_label = serializers.CharField(required=False, allow_blank=True, max_length=80)
    choices = ChoiceInputSerializer(many=True, required=False)
    translations = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False
    )


def _question_items(rows: list[dict[str, Any]]) -> list[tuple[int | None, QuestionInput]]:
    return [
        (
            row.get("id"),
            QuestionInput(
                kind=row["kind"],
                text=row["text"],
                help_text=row.get("help_text", ""),
                required=row.get("required", False),
                objective=row.get("objective"),
                scale_max=row.get("scale_max"),
                low_label=row.get("low_label", ""),
                high_label=row.get("high_label", ""),
                choices=[
                    ChoiceInput(label=c["label"], key=c.get("key", ""), translations=c.get("translations", {}))
                    for c in row.get("choices", [])
                ],
                translations=row.get("translations", {}),
            ),
        )
        for row in rows
    ]


class QuestionnaireUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    introduction = serializers.CharField(required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(required=False)
    is_template = serializers.BooleanField(required=False)
    language = language_field(required=False)
    exercise = VisibleRelatedField(queryset=Exercise.objects.all(), allow_null=True, required=False)
    questions = QuestionInputSerializer(many=True, required=False)


class QuestionnaireInputSerializer(QuestionnaireUpdateSerializer):
    title = serializers.CharField(max_length=200)


class DuplicateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_template = serializers.BooleanField(required=False, default=False)


class ReorderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy("Every question id once."))


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("A .csv or .xlsx file, one row per question."))
    replace = serializers.BooleanField(required=False, default=False)


class CellErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportErrorSerializer(ErrorSerializer):
    # A declared field, popped by DRF's metaclass: the serializer's own ``errors`` property stays.
    errors = CellErrorSerializer(many=True, required=False, help_text=gettext_lazy("Each refused cell."))  # type: ignore[assignment]


class QuestionTableSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class CSVRenderer(renderers.JSONRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(renderers.JSONRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


class QuestionnaireViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    queryset = Questionnaire.objects.all()
    serializer_class = QuestionnaireSerializer
    http_method_names = ("get", "post", "patch", "delete", "head", "options")  # type: ignore[assignment]
    rules_actions = {"duplicate": "view", "export": "view", "import_questions": "change", "reorder": "change"}

    def get_queryset(self) -> QuerySet[Questionnaire]:
        return selectors.questionnaire_with_questions(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return {"create": QuestionnaireInputSerializer, "partial_update": QuestionnaireUpdateSerializer}.get(
            self.action or "", QuestionnaireSerializer
        )

    def _answer(self, questionnaire: Questionnaire, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=questionnaire.pk)
        return Response(QuestionnaireSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=QuestionnaireInputSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(QuestionnaireInputSerializer)
        questions = data.pop("questions", None)
        by = acting_user(request)
        with transaction.atomic():
            questionnaire = services.questionnaire_create(by=by, data=data)
            if questions:
                services.questionnaire_questions_save(
                    questionnaire=questionnaire, by=by, items=_question_items(questions)
                )
        return self._answer(questionnaire, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=QuestionnaireUpdateSerializer, responses={200: QuestionnaireSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        questionnaire = self.get_object()
        data = self.validated_input(QuestionnaireUpdateSerializer, partial=True)
        questions = data.pop("questions", None)
        by = acting_user(request)
        with transaction.atomic():
            services.questionnaire_update(questionnaire=questionnaire, by=by, data=data)
            if questions is not None:
                services.questionnaire_questions_save(
                    questionnaire=questionnaire, by=by, items=_question_items(questions)
                )
        return self._answer(questionnaire)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.questionnaire_delete(questionnaire=self.get_object(), by=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DuplicateSerializer, responses={201: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """A copy with every question, choice and translation (also: new from a template)."""
        copy = services.questionnaire_duplicate(
            questionnaire=self.get_object(), by=acting_user(request), **self.validated_input(DuplicateSerializer)
        )
        return self._answer(copy, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ReorderSerializer, responses={200: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def reorder(self, request: Request, pk: str, **kwargs: Any) -> Response:
        questionnaire = self.get_object()
        order = self.validated_input(ReorderSerializer)["order"]
        services.questions_reorder(questionnaire=questionnaire, by=acting_user(request), ordered_ids=order)
        return self._answer(questionnaire)

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
            (200, "application/json"): QuestionTableSerializer,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[CSVRenderer, XLSXRenderer, renderers.JSONRenderer])
    def export(self, request: Request, pk: str, **kwargs: Any) -> Any:
        """The questions as a table, one row per question."""
        questionnaire = self.get_object()
        fmt = request.accepted_renderer.format
        if fmt in ("csv", "xlsx"):
            delimiter = export_delimiter(
                user=acting_user(request), requested=request.query_params.get(DELIMITER_PARAMETER)
            )
            return services.questions_response(questionnaire=questionnaire, fmt=fmt, delimiter=delimiter)
        headers, rows = questions_rows(questionnaire=questionnaire)
        return Response({"columns": headers, "rows": [["" if v is None else str(v) for v in row] for row in rows]})

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={200: QuestionnaireSerializer, 400: ImportErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_questions(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Questions from a CSV/XLSX file, added after the existing ones (or ``replace``): all or nothing."""
        questionnaire = self.get_object()
        data = self.validated_input(ImportSerializer)
        upload = data["file"]
        try:
            services.questions_import(
                questionnaire=questionnaire,
                by=acting_user(request),
                content=upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1),
                filename=upload.name or "questions.csv",
                size=upload.size,
                replace=data["replace"],
            )
        except services.QuestionImportError as error:
            body = {
                "detail": str(
                    gettext_lazy("Nothing was imported: correct the cells listed and upload the file again.")
                ),
                "errors": CellErrorSerializer(error.cells, many=True).data,
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return self._answer(questionnaire)
