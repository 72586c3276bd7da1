"""A run's injects over the API.

``/api/v1/inject-boards/{run_id}/`` is the console's board: GET reads it; POST ``release/``,
``skip/``, ``adhoc/`` and ``auto-release/`` act on it and answer the board as it now stands. The same
rule as the console (``conduct.release_inject``): those who see the run but may not release its
injects get 403, the others 404. A refused action answers 400 in the one error shape and changes nothing.

``/api/v1/inject-releases/`` lists (``?run=``) and shows the releases and skips of the runs the user
staffs; participants see none here (their room shows what reached their team).
"""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from conduct import selectors, services
from conduct.api.clock import RunClockSerializer
from conduct.models import InjectDelivery, InjectRelease
from core.api import EnumField
from core.filters import IdFilter
from core.viewsets import ServiceAPIMixin, ServiceViewSet
from exercises.models import CellRole, ExerciseRun, Inject, RunTeam

PERM = "conduct.release_inject"
BOARD_STATUSES = (("pending", _("Pending")), *InjectRelease.Status.choices)


class DeliverySerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.__str__", read_only=True)
    acknowledged_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = InjectDelivery
        fields = ("team", "team_name", "acknowledged_at", "acknowledged_by")
        read_only_fields = fields


class InjectReleaseSerializer(serializers.ModelSerializer):
    status = EnumField(InjectRelease.Status)
    by = serializers.StringRelatedField(allow_null=True, help_text=_("Empty when released automatically."))
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = InjectRelease
        fields = (
            "id",
            "run",
            "inject",
            "status",
            "title",
            "body",
            "delivered_by",
            "phase",
            "at",
            "by",
            "automatic",
            "dependency_overridden",
            "deliveries",
        )
        read_only_fields = fields


class BoardTeamSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.pk")
    team_name = serializers.CharField(source="team.__str__")
    acknowledged = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(source="delivery.acknowledged_at", allow_null=True, default=None)


class BoardInjectSerializer(serializers.Serializer):
    inject = serializers.IntegerField(source="inject.pk")
    number = serializers.IntegerField(source="inject.number")
    title = serializers.CharField(source="inject.title")
    phase = serializers.IntegerField(source="inject.phase_id", allow_null=True)
    minute_offset = serializers.IntegerField(source="inject.minute_offset")
    planned_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Its phase's start plus its offset, by the clock (pauses push it later).")
    )
    depends_on = serializers.IntegerField(source="inject.depends_on_id", allow_null=True)
    dependency_met = serializers.BooleanField(help_text=_("No dependency, or it was released."))
    status = EnumField(BOARD_STATUSES, enum_name="InjectBoardStatus")
    due = serializers.BooleanField(help_text=_("Pending, and its planned time has come."))
    release = InjectReleaseSerializer(allow_null=True)
    teams = BoardTeamSerializer(
        many=True, help_text=_("The teams it was delivered to, or (pending) those it would go to by default.")
    )


class AdhocReleaseSerializer(serializers.Serializer):
    release = InjectReleaseSerializer()
    teams = BoardTeamSerializer(many=True)


class InjectBoardSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.pk")
    auto_release = serializers.BooleanField(source="run.auto_release_injects")
    clock = RunClockSerializer(source="*")
    planned = BoardInjectSerializer(many=True)
    adhoc = AdhocReleaseSerializer(many=True)


class ReleaseInputSerializer(serializers.Serializer):
    inject = serializers.IntegerField(help_text=_("A planned inject of the run's exercise."))
    teams = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("Team ids of the run; by default the teams of the inject's target roles (all if none)."),
    )
    override_dependency = serializers.BooleanField(
        default=False, help_text=_("Release although the inject it depends on has not been released (recorded).")
    )


class SkipInputSerializer(serializers.Serializer):
    inject = serializers.IntegerField()


class AdhocInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.ADHOC_TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=services.ADHOC_BODY_MAX_LENGTH)
    teams = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    delivered_by = serializers.IntegerField(required=False, allow_null=True, help_text=_("A cell role's id."))


class AutoReleaseInputSerializer(serializers.Serializer):
    on = serializers.BooleanField()


class InjectBoardViewSet(mixins.RetrieveModelMixin, ServiceAPIMixin):
    http_method_names = ("get", "post", "head", "options")  # type: ignore[assignment]
    serializer_class = InjectBoardSerializer
    rules_actions = dict.fromkeys(("retrieve", "release", "skip", "adhoc", "auto_release"), PERM)

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)

    def _answer(self, run: ExerciseRun) -> Response:
        run = self.get_queryset().get(pk=run.pk)  # auto_release_injects as the action left it
        now = timezone.now()
        board = selectors.run_inject_board(run=run, now=now)
        data = {"run": run, "run_id": run.pk, "clock": board.clock, "now": now, **vars(board)}
        return Response(InjectBoardSerializer(data).data)

    def _act(self, change: Callable[[ExerciseRun, Any], Any]) -> Response:
        run = self.get_object()
        change(run, acting_user(self.request))
        return self._answer(run)

    def _inject(self, run: ExerciseRun, pk: int) -> Inject:
        inject = Inject.objects.filter(exercise_id=run.exercise_id, pk=pk).first()
        if inject is None:
            raise serializers.ValidationError({"inject": [_("Not an inject of this run's exercise.")]})
        return inject

    def _teams(self, run: ExerciseRun, ids: list[int]) -> list[RunTeam]:
        teams = list(RunTeam.objects.filter(run=run, pk__in=ids))
        if len(teams) != len(set(ids)):
            raise serializers.ValidationError({"teams": [_("A team is not one of this run's.")]})
        return teams

    @extend_schema(summary="The run's injects: planned ones with their status, and the ad-hoc releases")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(
        request=ReleaseInputSerializer,
        summary="Release a planned inject now",
        description="Refused (400, nothing changed) when it was released or skipped already (the answer says "
        "when and by whom), when the run is not running or paused, for a team of another run, and when the inject "
        "it depends on has not been released unless `override_dependency`.",
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        data = self.validated_input(ReleaseInputSerializer)

        def change(run: ExerciseRun, by: Any) -> Any:
            teams = self._teams(run, data["teams"]) if "teams" in data else None
            return services.inject_release(
                run=run,
                inject=self._inject(run, data["inject"]),
                teams=teams,
                by=by,
                override_dependency=data["override_dependency"],
            )

        return self._act(change)

    @extend_schema(request=SkipInputSerializer, summary="Skip a planned inject: it is never released in this run")
    @action(detail=True, methods=["post"])
    def skip(self, request: Request, pk: str) -> Response:
        data = self.validated_input(SkipInputSerializer)
        return self._act(lambda run, by: services.inject_skip(run=run, inject=self._inject(run, data["inject"]), by=by))

    @extend_schema(request=AdhocInputSerializer, summary="Release an inject written on the spot to some teams")
    @action(detail=True, methods=["post"])
    def adhoc(self, request: Request, pk: str) -> Response:
        data = self.validated_input(AdhocInputSerializer)

        def change(run: ExerciseRun, by: Any) -> Any:
            role = None
            if data.get("delivered_by") is not None:
                role = CellRole.objects.filter(exercise_id=run.exercise_id, pk=data["delivered_by"]).first()
                if role is None:
                    raise serializers.ValidationError({"delivered_by": [_("Not a cell role of this exercise.")]})
            return services.inject_adhoc(
                run=run,
                title=data["title"],
                body=data["body"],
                teams=self._teams(run, data["teams"]),
                delivered_by=role,
                by=by,
            )

        return self._act(change)

    @extend_schema(request=AutoReleaseInputSerializer, summary="Switch the release of injects at their planned time")
    @action(detail=True, methods=["post"], url_path="auto-release")
    def auto_release(self, request: Request, pk: str) -> Response:
        data = self.validated_input(AutoReleaseInputSerializer)
        return self._act(lambda run, by: services.run_auto_release_set(run=run, on=data["on"], by=by))


class InjectReleaseFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", help_text=_("A run id."))

    class Meta:
        model = InjectRelease
        fields = ("run",)


class InjectReleaseViewSet(ServiceViewSet):
    queryset = InjectRelease.objects.all()
    serializer_class = InjectReleaseSerializer
    filterset_class = InjectReleaseFilter
    http_method_names = ("get", "head", "options")  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[InjectRelease]:
        return selectors.inject_release_queryset(user=self.request.user)
