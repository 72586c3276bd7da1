"""API for authoring: write an exercise with its plan, make a variant, export and import the master
events list, order a course's exercises and read its objective coverage.

Errors come back flat, keyed like the service's (``injects[2].phase_number``), whether the shape or a
rule was wrong, so a client can show each next to its field. Nothing is half-saved.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import EnumField, RulesPermission
from core.tabular import XLSX_CONTENT_TYPE
from exercises import coverage, services
from exercises.api.serializers import ExerciseSerializer, ExerciseSummarySerializer
from exercises.api.views import ExerciseViewSet
from exercises.mel.export import mel_response, mel_rows
from exercises.mel.format import COLUMNS as MEL_COLUMNS
from exercises.mel.format import MelImportError
from exercises.models import CourseExercise, Exercise, Inject, Phase, TeamRole
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput, plan_error_location
from trainings.api.serializers import CourseSummarySerializer, LearningObjectiveSummarySerializer
from trainings.models import AgencyKind, Course, LearningObjective

_KEEP = gettext_lazy("The id of an existing row to keep; leave it out for a new row.")

# --- writing an exercise ---------------------------------------------------------------------


class PhaseInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    order = serializers.IntegerField(help_text=gettext_lazy("1, 2, 3 … in the order the phases run."))
    name = serializers.CharField(max_length=200)
    kind = EnumField(Phase.Kind, required=False)
    planned_minutes = serializers.IntegerField()
    instructions = serializers.CharField(required=False, allow_blank=True)


class TeamRoleInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    number = serializers.IntegerField(help_text=gettext_lazy("1, 2, 3 …; injects target teams by number."))
    name = serializers.CharField(max_length=200)
    agency_kind = EnumField(AgencyKind)
    briefing = serializers.CharField(required=False, allow_blank=True)
    tasks = serializers.CharField(required=False, allow_blank=True)


class InjectInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    number = serializers.IntegerField(help_text=gettext_lazy("1, 2, 3 …"))
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(help_text=gettext_lazy("The message."))
    kind = EnumField(Inject.Kind, required=False)
    channel = EnumField(Inject.Channel, required=False)
    sender = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phase_number = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("The number of a phase in this request.")
    )
    minute_offset = serializers.IntegerField(
        required=False, help_text=gettext_lazy("Minutes after the start of its phase; inside the phase.")
    )
    target_team_numbers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=gettext_lazy("Numbers of teams in this request; empty means every team."),
    )
    expected_actions = serializers.CharField(required=False, allow_blank=True)
    learning_objectives = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), many=True, required=False
    )
    depends_on_number = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The number of another inject in this request; never in a circle."),
    )


class ExerciseWriteSerializer(serializers.Serializer):
    """An exercise and, optionally, its whole plan. On PATCH, send ``phases``, ``team_roles`` and
    ``injects`` together or not at all: the plan is replaced as a whole (rows with an ``id`` are kept)."""

    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(
        max_length=80, required=False, help_text=gettext_lazy("Made from the name when left out.")
    )
    kind = EnumField(Exercise.Kind, required=False)
    planned_minutes = serializers.IntegerField()
    aim = serializers.CharField(required=False, allow_blank=True)
    scenario = serializers.CharField(required=False, allow_blank=True)
    materials = serializers.CharField(required=False, allow_blank=True)
    facilitator_guidelines = serializers.CharField(required=False, allow_blank=True)
    tips = serializers.CharField(required=False, allow_blank=True)
    online_variation = serializers.CharField(required=False, allow_blank=True)
    debriefing_guidance = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    learning_objectives = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), many=True, required=False
    )
    phases = PhaseInputSerializer(many=True, required=False)
    team_roles = TeamRoleInputSerializer(many=True, required=False)
    injects = InjectInputSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = {"phases", "team_roles", "injects"} & set(attrs)
        if self.partial and given and len(given) < 3:
            raise serializers.ValidationError(
                _("Send phases, team_roles and injects together: the plan is replaced as a whole.")
            )
        return attrs


class ExerciseDuplicateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)


class MelUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("A master events list, .csv or .xlsx (see the README)."))

    def validate_file(self, upload: Any) -> Any:
        limit = settings.CONCORD_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise serializers.ValidationError(
                _("The file is %(size)s KB; the limit is %(limit)s KB.")
                % {"size": upload.size // 1024, "limit": limit // 1024}
            )
        return upload


class MelErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Empty: about the file as a whole."))
    column = serializers.CharField(help_text=gettext_lazy("The column's header, as exported."), source="header")
    message = serializers.CharField()


class MelImportErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    # DRF's metaclass takes declared fields off the class, so this does not hide Serializer.errors.
    errors = MelErrorSerializer(many=True)  # type: ignore[assignment]


class MelImportResultSerializer(serializers.Serializer):
    exercise = ExerciseSerializer()
    created = serializers.BooleanField(help_text=gettext_lazy("False when the plan of an exercise was replaced."))
    warnings = serializers.ListField(child=serializers.CharField())


class MelTableSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))


def _flat(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors (``{"phases": [{}, {"order": [...]}]}``) keyed like the service's (``phases[1].order``)."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):
                inner = f"{prefix}[{key}]"
            elif key == "non_field_errors" and prefix:
                inner = prefix
            else:
                inner = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flat(value, inner).items():
                flat.setdefault(k, []).extend(v)
        return flat
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            for k, v in _flat(item, f"{prefix}[{index}]").items():
                flat.setdefault(k, []).extend(v)
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]} if items else {}


# Service field names that the API calls differently.
_API_FIELDS = {
    "injects": {"phase": "phase_number", "target_teams": "target_team_numbers", "depends_on": "depends_on_number"},
}


def _api_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    mapped: dict[str, list[str]] = {}
    for key, messages in errors.items():
        part, index, field_name = plan_error_location(key)
        if index is not None:
            key = f"{part}[{index}].{_API_FIELDS.get(part, {}).get(field_name, field_name)}"
        elif key == "__all__":
            key = "non_field_errors"
        mapped.setdefault(key, []).extend(messages)
    return mapped


def _plan(data: Mapping[str, Any]) -> ExercisePlan:
    return ExercisePlan(
        phases=[
            PhaseInput(
                id=p.get("id"),
                order=p["order"],
                name=p["name"],
                kind=p.get("kind", Phase.Kind.PLAY),
                planned_minutes=p["planned_minutes"],
                instructions=p.get("instructions", ""),
            )
            for p in data.get("phases", [])
        ],
        team_roles=[
            TeamRoleInput(
                id=r.get("id"),
                number=r["number"],
                name=r["name"],
                agency_kind=r["agency_kind"],
                briefing=r.get("briefing", ""),
                tasks=r.get("tasks", ""),
            )
            for r in data.get("team_roles", [])
        ],
        injects=[
            InjectInput(
                id=i.get("id"),
                number=i["number"],
                title=i["title"],
                body=i["body"],
                kind=i.get("kind", Inject.Kind.NEW_INFORMATION),
                channel=i.get("channel", Inject.Channel.IN_PERSON),
                sender=i.get("sender", ""),
                phase=i.get("phase_number"),
                minute_offset=i.get("minute_offset", 0),
                target_teams=i.get("target_team_numbers", []),
                expected_actions=i.get("expected_actions", ""),
                learning_objectives=i.get("learning_objectives", []),
                depends_on=i.get("depends_on_number"),
            )
            for i in data.get("injects", [])
        ],
    )


class CSVRenderer(renderers.JSONRenderer):
    """Lets ``?format=csv`` choose the CSV download; errors still render as JSON text."""

    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(renderers.JSONRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


class ExerciseAuthoringViewSet(ExerciseViewSet):
    """Exercises: the facilitator guide for those who may see it; coordinators write.

    POST and PATCH take the exercise and its plan (phases, team roles, injects) and save all or
    nothing. ``duplicate`` makes a variant; ``export`` and ``import`` carry the master events list.
    """

    http_method_names = ("get", "post", "patch", "head", "options")  # type: ignore[assignment]
    rules_actions = {"duplicate": "view", "export": "view", "import_new": "add", "import_plan": "change"}

    def _input(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        if not serializer.is_valid():
            raise exceptions.ValidationError(_flat(serializer.errors))
        return dict(serializer.validated_data)

    def _respond(self, exercise: Exercise, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=exercise.pk)
        return Response(ExerciseSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=ExerciseWriteSerializer, responses={201: ExerciseSerializer})
    def create(self, request: Request, **kwargs: Any) -> Response:
        data = self._input(ExerciseWriteSerializer)
        plan = _plan(data)
        for part in ("phases", "team_roles", "injects"):
            data.pop(part, None)
        try:
            exercise = services.exercise_create(**data, plan=plan)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_api_errors(error.message_dict)) from error
        return self._respond(exercise, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ExerciseWriteSerializer, responses=ExerciseSerializer)
    def partial_update(self, request: Request, pk: str, **kwargs: Any) -> Response:
        exercise = self.get_object()
        data = self._input(ExerciseWriteSerializer, partial=True)
        plan = _plan(data) if "phases" in data else None
        for part in ("phases", "team_roles", "injects"):
            data.pop(part, None)
        try:
            exercise = services.exercise_update(exercise=exercise, data=data, plan=plan)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_api_errors(error.message_dict)) from error
        return self._respond(exercise)

    @extend_schema(request=ExerciseDuplicateSerializer, responses={201: ExerciseSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """A variant of the exercise (for another country, say): phases, teams, injects and handout titles copied."""
        exercise = self.get_object()
        if not request.user.has_perm("exercises.add_exercise"):
            raise exceptions.PermissionDenied
        variant = services.exercise_duplicate(exercise=exercise, **self._input(ExerciseDuplicateSerializer))
        return self._respond(variant, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["csv", "xlsx", "json"],
                description=gettext_lazy("csv (the default) or xlsx downloads the file; json gives the rows."),
            )
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
            return mel_response(exercise=exercise, fmt=fmt)
        rows = [["" if v is None else str(v) for v in row] for row in mel_rows(exercise=exercise)]
        return Response({"columns": [header for _key, header in MEL_COLUMNS], "rows": rows})

    def _import(self, exercise: Exercise | None) -> Response:
        upload = self._input(MelUploadSerializer)["file"]
        try:
            result = services.exercise_mel_import(content=upload.read(), filename=upload.name, exercise=exercise)
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


# --- courses: their exercises, and coverage ----------------------------------------------------


class CourseExerciseItemSerializer(serializers.ModelSerializer):
    exercise = ExerciseSummarySerializer()

    class Meta:
        model = CourseExercise
        fields = ("order", "exercise")


class CoursePlanSerializer(serializers.ModelSerializer):
    exercises = CourseExerciseItemSerializer(many=True, source="course_exercises")

    class Meta:
        model = Course
        fields = ("id", "title", "slug", "exercises")


class CoursePlanInputSerializer(serializers.Serializer):
    exercises = serializers.PrimaryKeyRelatedField(
        queryset=Exercise.objects.all(), many=True, help_text=gettext_lazy("Exercise ids, in course order.")
    )


class CoverageInjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inject
        fields = ("id", "number", "title")


class CoverageCellSerializer(serializers.Serializer):
    exercise = serializers.IntegerField(source="exercise.pk")
    by_exercise = serializers.BooleanField(help_text=gettext_lazy("The exercise itself lists the objective."))
    injects = CoverageInjectSerializer(many=True, help_text=gettext_lazy("Its injects that list the objective."))
    addressed = serializers.BooleanField()


class CoverageRowSerializer(serializers.Serializer):
    objective = LearningObjectiveSummarySerializer()
    addressed = serializers.BooleanField()
    cells = CoverageCellSerializer(many=True, help_text=gettext_lazy("One per course exercise, in course order."))


class CoveragePhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ("id", "order", "name")


class CoverageTeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamRole
        fields = ("id", "number", "name")


class CrisisCheckSerializer(serializers.Serializer):
    exercise = serializers.IntegerField(source="exercise.pk")
    run = serializers.IntegerField(source="run.pk", allow_null=True, help_text=gettext_lazy("Empty: not run yet."))
    cohort = serializers.CharField(source="run.cohort.name", allow_null=True)
    crisis_phases = CoveragePhaseSerializer(many=True)
    teams_without_inject = CoverageTeamSerializer(many=True)
    ok = serializers.BooleanField(help_text=gettext_lazy("There is a crisis phase and every team gets an inject."))


class CourseCoverageSerializer(serializers.Serializer):
    course = CourseSummarySerializer()
    exercises = ExerciseSummarySerializer(many=True)
    objectives = CoverageRowSerializer(many=True, source="rows")
    unaddressed_objectives = LearningObjectiveSummarySerializer(
        many=True, source="unaddressed", help_text=gettext_lazy("Objectives no exercise or inject addresses.")
    )
    crisis_checks = CrisisCheckSerializer(many=True)


class CoursePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each course's exercises in order (read by whoever sees the course; set by coordinators), and its
    objective coverage (for coordinators and the course's facilitators).

    Addressed by the course's id; exercises live in their own app, so this is not part of ``courses``.
    """

    queryset = Course.objects.all()
    serializer_class = CoursePlanSerializer
    permission_classes = (RulesPermission,)
    http_method_names = ("get", "patch", "head", "options")  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Course]:
        items = CourseExercise.objects.select_related("exercise").order_by("order", "pk")
        return Course.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("course_exercises", queryset=items)
        )

    @extend_schema(request=CoursePlanInputSerializer, responses=CoursePlanSerializer)
    def partial_update(self, request: Request, pk: str, **kwargs: Any) -> Response:
        course = self.get_object()
        serializer = CoursePlanInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise exceptions.ValidationError(_flat(serializer.errors))
        exercises = serializer.validated_data["exercises"]
        try:
            services.course_exercises_set(course=course, items=[(n, e) for n, e in enumerate(exercises, start=1)])
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_api_errors(error.message_dict)) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=course.pk)).data)

    @extend_schema(responses=CourseCoverageSerializer)
    @action(detail=True, methods=["get"])
    def coverage(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Objective × exercise × inject, the objectives nothing addresses, and crisis-phase team gaps."""
        course = self.get_object()
        if not request.user.has_perm("exercises.view_course_coverage", course):
            raise exceptions.PermissionDenied
        data = coverage.course_coverage(course=course, user=request.user)
        return Response(CourseCoverageSerializer(data, context=self.get_serializer_context()).data)
