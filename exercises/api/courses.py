"""A course's exercises in order, and its objective coverage, over the API."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import RulesPermission
from core.exceptions import ApplicationError
from core.permissions import object_for
from exercises import coverage, services
from exercises.api.authoring import api_plan_errors, flat_errors
from exercises.api.fields import VisiblePrimaryKeyField
from exercises.api.serializers import ExerciseSummarySerializer
from exercises.models import CourseExercise, Exercise, Inject, Phase, TeamRole
from trainings.api.serializers import CourseSummarySerializer, LearningObjectiveSummarySerializer
from trainings.models import Course


class CourseExerciseItemSerializer(serializers.ModelSerializer):
    exercise = ExerciseSummarySerializer()

    class Meta:
        model = CourseExercise
        fields = ("order", "exercise")
        read_only_fields = fields


class CoursePlanSerializer(serializers.ModelSerializer):
    exercises = CourseExerciseItemSerializer(many=True, source="course_exercises")

    class Meta:
        model = Course
        fields = ("id", "title", "slug", "exercises")
        read_only_fields = fields


class CoursePlanInputSerializer(serializers.Serializer):
    exercises = VisiblePrimaryKeyField(
        queryset=Exercise.objects.all(),
        visible=lambda user: Exercise.objects.visible_to(user),
        many=True,
        help_text=gettext_lazy("Exercise ids, in course order."),
    )


class CoverageInjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inject
        fields = ("id", "number", "title")
        read_only_fields = fields


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
        read_only_fields = fields


class CoverageTeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamRole
        fields = ("id", "number", "name")
        read_only_fields = fields


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

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # The browsable API's PATCH form shows the input, with only the exercises the user sees.
        return CoursePlanInputSerializer if self.action == "partial_update" else CoursePlanSerializer

    def get_queryset(self) -> QuerySet[Course]:
        items = CourseExercise.objects.select_related("exercise").order_by("order", "pk")
        return Course.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("course_exercises", queryset=items)
        )

    @extend_schema(request=CoursePlanInputSerializer, responses=CoursePlanSerializer)
    def partial_update(self, request: Request, pk: str, **kwargs: Any) -> Response:
        course = self.get_object()
        serializer = CoursePlanInputSerializer(data=request.data, context=self.get_serializer_context())
        if not serializer.is_valid():
            raise exceptions.ValidationError(flat_errors(serializer.errors))
        exercises = serializer.validated_data["exercises"]
        try:
            services.course_exercises_set(course=course, items=[(n, e) for n, e in enumerate(exercises, start=1)])
        except ApplicationError as error:
            raise exceptions.ValidationError(api_plan_errors(error.message_dict)) from error
        fresh = self.get_queryset().get(pk=course.pk)
        return Response(CoursePlanSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(responses=CourseCoverageSerializer)
    @action(detail=True, methods=["get"])
    def coverage(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Objective × exercise × inject, the objectives nothing addresses, and crisis-phase team gaps."""
        course = object_for(
            user=request.user, queryset=self.get_queryset(), perm="exercises.view_course_coverage", pk=pk
        )
        data = coverage.course_coverage(course=course, user=request.user)
        return Response(CourseCoverageSerializer(data, context=self.get_serializer_context()).data)
