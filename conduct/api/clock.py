"""A run's phase clock over the API: ``/api/v1/run-clocks/{id}/`` reads it, its actions move it.

The same rule as the console (``conduct.run_clock``): those who see the run but may not work its
clock get 403, the others 404. Every action answers the clock as it now stands; a refused one
answers 400 in the one error shape and changes nothing.
"""

from collections.abc import Callable
from typing import Any

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
from conduct.clock import MAX_EXTENSION_MINUTES
from core.api import EnumField
from core.viewsets import ServiceAPIMixin
from exercises.models import ExerciseRun

PERM = "conduct.run_clock"


class ClockPhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    planned_minutes = serializers.IntegerField()


class RunClockSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run_id")
    status = EnumField(ExerciseRun.Status, source="clock.status")
    phase = ClockPhaseSerializer(source="clock.phase", allow_null=True, help_text=_("None before the start."))
    phase_number = serializers.IntegerField(source="clock.phase_number")
    phase_count = serializers.IntegerField(source="clock.phase_count")
    next_phase = ClockPhaseSerializer(source="clock.next_phase", allow_null=True)
    phase_started_at = serializers.DateTimeField(source="clock.phase_started_at", allow_null=True)
    paused_since = serializers.DateTimeField(source="clock.paused_since", allow_null=True)
    elapsed_seconds = serializers.IntegerField(source="clock.elapsed_seconds", help_text=_("Paused time not counted."))
    planned_seconds = serializers.IntegerField(
        source="clock.planned_seconds", help_text=_("The phase's planned minutes plus its extensions.")
    )
    remaining_seconds = serializers.IntegerField(source="clock.remaining_seconds")
    overrun_seconds = serializers.IntegerField(source="clock.overrun_seconds")
    extension_minutes = serializers.IntegerField(source="clock.extension_minutes")
    paused_seconds = serializers.IntegerField(source="clock.paused_seconds")
    now = serializers.DateTimeField(help_text=_("The server's time the figures were computed at."))


class AdvanceInputSerializer(serializers.Serializer):
    from_phase = serializers.IntegerField(
        help_text=_("The id of the phase you saw as current; refused if the run has moved on since.")
    )


class ExtendInputSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_MINUTES)


class RunClockViewSet(mixins.RetrieveModelMixin, ServiceAPIMixin):
    http_method_names = ("get", "post", "head", "options")  # type: ignore[assignment]
    serializer_class = RunClockSerializer
    rules_actions = dict.fromkeys(("retrieve", "start", "advance", "pause", "resume", "extend", "finish"), PERM)

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)

    def _answer(self, run: ExerciseRun) -> Response:
        now = timezone.now()
        data = {"run_id": run.pk, "clock": selectors.run_clock(run=run, now=now), "now": now}
        return Response(RunClockSerializer(data).data)

    def _act(self, change: Callable[[ExerciseRun, Any], ExerciseRun]) -> Response:
        # The service answers the run as it locked and changed it: the clock is read after the change.
        return self._answer(change(self.get_object(), acting_user(self.request)))

    @extend_schema(summary="The run's phase clock")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=None, summary="Start the run's first phase (a planned run with phases)")
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._act(lambda run, by: services.run_start(run=run, by=by))

    @extend_schema(
        request=AdvanceInputSerializer,
        summary="End the current phase and start the next",
        description="Refused (400, nothing changed) when `from_phase` is no longer the current phase, e.g. "
        "another facilitator advanced first; when the run is paused or over; or past the last phase (finish).",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        data = self.validated_input(AdvanceInputSerializer)
        return self._act(lambda run, by: services.run_advance(run=run, from_phase=data["from_phase"], by=by))

    @extend_schema(request=None, summary="Hold the clock")
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        return self._act(lambda run, by: services.run_pause(run=run, by=by))

    @extend_schema(request=None, summary="Run the clock again")
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._act(lambda run, by: services.run_resume(run=run, by=by))

    @extend_schema(request=ExtendInputSerializer, summary="Give the current phase more minutes")
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        data = self.validated_input(ExtendInputSerializer)
        return self._act(lambda run, by: services.run_extend(run=run, minutes=data["minutes"], by=by))

    @extend_schema(request=None, summary="End the current phase and the run")
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str) -> Response:
        return self._act(lambda run, by: services.run_finish(run=run, by=by))
