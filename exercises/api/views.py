from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import RulesPermission
from core.viewsets import ServiceViewSet
from exercises import services
from exercises.api.serializers import (
    ExerciseRunInputSerializer,
    ExerciseRunSerializer,
    ExerciseRunUpdateSerializer,
    ExerciseSerializer,
)
from exercises.conflicts import run_warnings
from exercises.filters import ExerciseFilter, ExerciseRunFilter
from exercises.models import Exercise, ExerciseRun, Inject, RunTeam
from trainings.api.schedule import ConflictResponseMixin, ScheduleConflictErrorSerializer, warned, with_warnings


class ExerciseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The facilitator guide of each exercise, for coordinators and the facilitators who run it.

    Read-only here: exercises are authored in the web pages and the master events list import.
    """

    queryset = Exercise.objects.all()
    serializer_class = ExerciseSerializer
    permission_classes = (RulesPermission,)
    filterset_class = ExerciseFilter
    search_fields = ("name",)
    ordering_fields = ("name", "planned_minutes")

    def get_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user).prefetch_related(
            "learning_objectives",
            "phases",
            "team_roles",
            Prefetch("injects", queryset=Inject.objects.prefetch_related("target_roles", "learning_objectives")),
            "handouts",
        )


ExerciseRunWithWarningsSerializer = with_warnings(ExerciseRunSerializer)


class ExerciseRunViewSet(ConflictResponseMixin, ServiceViewSet):
    """Runs of an exercise for a cohort, with their teams.

    Putting a run in a session (or changing its lead) is checked for conflicts: hard ones answer
    400 with ``conflicts``; soft ones (the run is longer than the session) come back as ``warnings``.
    """

    queryset = ExerciseRun.objects.all()
    serializer_class = ExerciseRunSerializer
    filterset_class = ExerciseRunFilter
    search_fields = ("exercise__name", "cohort__name")
    ordering_fields = ("status", "session__starts_at")

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        # Teams are listed only for those allowed to see them (the run's staff).
        teams = RunTeam.objects.visible_to(self.request.user)
        return (
            ExerciseRun.objects.visible_to(self.request.user)
            .select_related("exercise", "lead_facilitator")
            .prefetch_related(Prefetch("teams", queryset=teams.select_related("team_role")))
        )

    def respond_scheduled(self, run: ExerciseRun, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().select_related("session__cohort").get(pk=run.pk)
        warned(fresh, run_warnings(run=fresh))
        data = ExerciseRunWithWarningsSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status_code)

    @extend_schema(
        request=ExerciseRunInputSerializer,
        responses={201: ExerciseRunWithWarningsSerializer, 400: ScheduleConflictErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        run = services.exercise_run_create(**self.validated_input(ExerciseRunInputSerializer))
        return self.respond_scheduled(run, status_code=201)

    @extend_schema(
        request=ExerciseRunUpdateSerializer,
        responses={200: ExerciseRunWithWarningsSerializer, 400: ScheduleConflictErrorSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        run = services.exercise_run_update(
            run=self.get_object(), data=self.validated_input(ExerciseRunUpdateSerializer, partial=True)
        )
        return self.respond_scheduled(run)
