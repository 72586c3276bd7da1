"""A run's debrief over the API: ``/api/v1/run-timelines/{run_id}/`` and ``/api/v1/run-summaries/{run_id}/``.

Read only, with the pages' rule (``conduct.debrief_run``): the run's participants get 403, people who do
not see the run 404. The figures come from the same selectors as the pages (``conduct.summary``).
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_read
from conduct import selectors
from conduct.timeline import KINDS
from core.api import EnumField
from core.viewsets import ServiceAPIMixin
from exercises.models import ExerciseRun

PERM = "conduct.debrief_run"


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = EnumField(list(KINDS.items()), enum_name="TimelineKind")
    kind_label = serializers.CharField(source="label")
    subject = serializers.CharField(help_text=_("The phase, the inject, the message's subject or the note."))
    actor = serializers.CharField(help_text=_("Who did it: a person, a team, a cell role, exercise control."))
    parties = serializers.ListField(
        child=serializers.CharField(), help_text=_("The other side: the teams released to, the addressees.")
    )
    phase = serializers.CharField()
    detail = serializers.CharField()
    ref = serializers.IntegerField(help_text=_("The id of the record the entry comes from (by kind)."))


class RunTimelineSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run_id")
    now = serializers.DateTimeField()
    entries = TimelineEntrySerializer(many=True)


class PartySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("team, cell (a cell role) or control."))
    id = serializers.IntegerField(help_text=_("The team's or cell role's id; 0 for control."))
    name = serializers.CharField()


class PhaseOutcomeSerializer(serializers.Serializer):
    phase = serializers.IntegerField(source="phase.id")
    order = serializers.IntegerField(source="phase.order")
    name = serializers.CharField(source="phase.name")
    planned_minutes = serializers.IntegerField(source="phase.planned_minutes")
    extension_minutes = serializers.IntegerField()
    planned_seconds = serializers.IntegerField(help_text=_("Planned minutes plus extensions, in seconds."))
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    running = serializers.BooleanField()
    pauses = serializers.IntegerField()
    paused_seconds = serializers.IntegerField()
    actual_seconds = serializers.IntegerField(allow_null=True, help_text=_("Played time, pauses not counted."))
    difference_seconds = serializers.IntegerField(allow_null=True, help_text=_("Actual less planned."))
    session = serializers.CharField(help_text=_("The session (day) the phase is placed in; empty if none."))
    planned_start = serializers.DateTimeField(allow_null=True)
    start_delay_seconds = serializers.IntegerField(
        allow_null=True, help_text=_("Actual start less planned start (negative: early).")
    )


class TeamAcknowledgementSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.id")
    team_name = serializers.CharField(source="team.name")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    seconds = serializers.IntegerField(allow_null=True, help_text=_("From the release; null if never acknowledged."))


class InjectOutcomeSerializer(serializers.Serializer):
    release = serializers.IntegerField(source="release_id", allow_null=True)
    number = serializers.IntegerField(allow_null=True, help_text=_("Null for an ad-hoc inject."))
    title = serializers.CharField()
    status = EnumField(
        [("released", _("Released")), ("skipped", _("Skipped")), ("pending", _("Pending"))],
        enum_name="InjectOutcomeStatus",
    )
    at = serializers.DateTimeField(allow_null=True)
    automatic = serializers.BooleanField()
    dependency_overridden = serializers.BooleanField()
    median_seconds = serializers.FloatField(allow_null=True)
    teams = TeamAcknowledgementSerializer(many=True)


class PairSerializer(serializers.Serializer):
    sender = PartySerializer()
    recipient = PartySerializer()
    count = serializers.IntegerField()
    read = serializers.IntegerField()
    replied = serializers.IntegerField()
    median_reply_seconds = serializers.FloatField(allow_null=True)


class MatrixSerializer(serializers.Serializer):
    parties = PartySerializer(source="columns", many=True)
    pairs = PairSerializer(many=True)
    total = serializers.IntegerField()


class ObservationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    observed_at = serializers.DateTimeField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    objective = serializers.IntegerField(source="objective_id", allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    shareable = serializers.BooleanField()
    author = serializers.CharField()
    phase = serializers.CharField()


class ObservationGroupSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text=_("The team's or objective's id; null for none."))
    name = serializers.CharField(source="label")
    count = serializers.IntegerField()
    rated = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)
    observations = ObservationRowSerializer(many=True)


class RunSummarySerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run_id")
    now = serializers.DateTimeField()
    planned_seconds = serializers.IntegerField(source="summary.planned_seconds")
    actual_seconds = serializers.IntegerField(source="summary.actual_seconds")
    phases = PhaseOutcomeSerializer(source="summary.phases", many=True)
    injects = InjectOutcomeSerializer(source="summary.injects", many=True)
    messages = MatrixSerializer(source="summary.matrix")
    observations_by_team = ObservationGroupSerializer(source="summary.by_team", many=True)
    observations_by_objective = ObservationGroupSerializer(source="summary.by_objective", many=True)


class _DebriefViewSet(mixins.RetrieveModelMixin, ServiceAPIMixin):
    http_method_names = ("get", "head", "options")  # type: ignore[assignment]
    rules_actions = {"retrieve": PERM}

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)


class RunTimelineViewSet(_DebriefViewSet):
    serializer_class = RunTimelineSerializer

    @extend_schema(summary="Everything that happened in the run, in time order")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        data = {"run_id": run.pk, "now": timezone.now(), "entries": selectors.run_timeline(run=run, user=request.user)}
        audit_read(action="run_timeline.view", target=run)
        return Response(RunTimelineSerializer(data).data)


class RunSummaryViewSet(_DebriefViewSet):
    serializer_class = RunSummarySerializer

    @extend_schema(
        summary="The run's debrief figures",
        parameters=[
            OpenApiParameter(
                "shared", bool, description=str(_("true: only the observations that may be shown in the debrief."))
            )
        ],
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run, now = self.get_object(), timezone.now()
        shared = request.query_params.get("shared", "").lower() in ("1", "true")
        figures = selectors.run_summary(run=run, user=request.user, now=now, shareable_only=shared)
        audit_read(action="run_summary.view", target=run, detail={"shared": shared})
        return Response(RunSummarySerializer({"run_id": run.pk, "now": now, "summary": figures}).data)
