"""The team rooms over the API: ``/api/v1/team-rooms/{team_id}/``, ``/api/v1/inject-deliveries/`` and
``/api/v1/messages/``, with the pages' rules.

A team's room is for its members once the teams are confirmed, and for the exercise staff (others who
see the run: 403; the rest: 404). Deliveries and messages list only what the user may see. Writes call
the rooms' services; a refusal answers 400 in the one error shape and changes nothing.
"""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.languages import reader_language
from accounts.requests import acting_user
from conduct import services
from conduct.api.clock import RunClockSerializer
from conduct.models import InjectDelivery, Message
from conduct.selectors import rooms
from core.api import EnumField, VisibleRelatedField
from core.filters import IdFilter
from core.viewsets import ServiceAPIMixin, ServiceViewSet
from exercises.models import CellRole, ExerciseRun, RunTeam

# --- output ------------------------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="__str__")
    url = serializers.SerializerMethodField(help_text=_("The file, for the team the inject reached."))

    def get_url(self, attachment: Any) -> str:
        team = self.context["team"]
        return reverse(
            "conduct:team_attachment", kwargs={"pk": team.run_id, "team_pk": team.pk, "attachment_pk": attachment.pk}
        )


class InjectDeliverySerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="release.run_id")
    release = serializers.IntegerField(source="release_id")
    inject = serializers.IntegerField(source="release.inject_id", allow_null=True, help_text=_("None: ad hoc."))
    title = serializers.CharField(source="release.title")
    body = serializers.CharField(source="release.body")
    delivered_by = serializers.StringRelatedField(source="release.delivered_by", allow_null=True)
    released_at = serializers.DateTimeField(source="release.at")
    attachments = serializers.SerializerMethodField()
    acknowledged_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = InjectDelivery
        fields = (
            "id",
            "run",
            "team",
            "release",
            "inject",
            "title",
            "body",
            "delivered_by",
            "released_at",
            "attachments",
            "acknowledged_at",
            "acknowledged_by",
        )
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, delivery: InjectDelivery) -> list[dict[str, Any]]:
        inject = delivery.release.inject
        if inject is None:
            return []
        context = {**self.context, "team": delivery.team}
        return list(AttachmentSerializer(inject.attachments.all(), many=True, context=context).data)


class RecipientSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team_id", allow_null=True)
    cell_role = serializers.IntegerField(source="cell_role_id", allow_null=True)
    name = serializers.SerializerMethodField()
    first_read_at = serializers.DateTimeField(allow_null=True)
    first_reply_at = serializers.DateTimeField(allow_null=True)

    def get_name(self, recipient: Any) -> str:
        return str(recipient.team or recipient.cell_role)


class MessageSerializer(serializers.ModelSerializer):
    sender = serializers.SerializerMethodField(help_text=_("The sending team, cell role, or exercise control."))
    sent_by = serializers.StringRelatedField(allow_null=True)
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = (
            "id",
            "run",
            "sender_team",
            "sender_cell_role",
            "sender",
            "sent_by",
            "sent_at",
            "subject",
            "body",
            "reply_to",
            "recipients",
        )
        read_only_fields = fields

    def get_sender(self, message: Message) -> str:
        return str(message.sender_team or message.sender_cell_role or _("Exercise control"))


class TeamRoomSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.pk")
    name = serializers.CharField(source="team.__str__")
    run = serializers.IntegerField(source="run.pk")
    status = EnumField(ExerciseRun.Status, source="run.status")
    briefing = serializers.CharField(source="briefing.briefing", help_text=_("In the reader's language if it has it."))
    tasks = serializers.CharField(source="briefing.tasks")
    language = serializers.CharField(source="briefing.language", help_text=_("The briefing's and tasks' language."))
    video_url = serializers.CharField(source="team.video_url", help_text=_("The team's own video room."))
    run_video_url = serializers.CharField(source="run.video_url", help_text=_("The plenary video room."))
    version = serializers.IntegerField(
        source="run.live_version", help_text=_("Changes whenever what the room shows changes.")
    )
    clock = serializers.SerializerMethodField()
    deliveries = InjectDeliverySerializer(many=True, help_text=_("The injects released to the team, newest first."))
    messages = serializers.SerializerMethodField(help_text=_("Sent to or by the team, oldest first."))

    @extend_schema_field(RunClockSerializer)
    def get_clock(self, room: rooms.TeamRoom) -> dict[str, Any]:
        return RunClockSerializer({"run_id": room.run.pk, "clock": room.clock, "now": self.context["now"]}).data

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, room: rooms.TeamRoom) -> list[dict[str, Any]]:
        ordered = sorted((m for t in room.threads for m in t.messages), key=lambda m: (m.sent_at, m.pk))
        return list(MessageSerializer(ordered, many=True).data)


# --- views -------------------------------------------------------------------------------------------


class TeamRoomViewSet(mixins.RetrieveModelMixin, ServiceAPIMixin):
    """GET ``/team-rooms/{team_id}/``: the room's state, with its ``version`` to poll cheaply."""

    http_method_names = ("get", "head", "options")  # type: ignore[assignment]
    serializer_class = TeamRoomSerializer
    rules_actions = {"retrieve": "conduct.view_team_room"}

    def get_queryset(self) -> QuerySet[RunTeam]:
        return rooms.team_room_queryset(user=self.request.user)

    @extend_schema(summary="A team's room: briefing, clock, injects released to it, its messages")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        now = timezone.now()
        room = rooms.team_room(team=self.get_object(), now=now, language=reader_language(request))
        return Response(TeamRoomSerializer(room, context={"now": now}).data)


class DeliveryFilter(django_filters.FilterSet):
    run = IdFilter(field_name="release__run_id", help_text=_("A run id."))
    team = IdFilter(field_name="team_id", help_text=_("A team id."))

    class Meta:
        model = InjectDelivery
        fields = ("run", "team")


class InjectDeliveryViewSet(ServiceViewSet):
    """The injects released to the user's teams (all teams of their runs for the staff); members acknowledge."""

    queryset = InjectDelivery.objects.all()
    serializer_class = InjectDeliverySerializer
    filterset_class = DeliveryFilter
    rules_actions = {"acknowledge": "conduct.acknowledge_injectdelivery"}

    def get_queryset(self) -> QuerySet[InjectDelivery]:
        return rooms.delivery_queryset(user=self.request.user).order_by("-release__at", "-pk")

    @extend_schema(
        request=None,
        summary="Acknowledge an inject for one's team",
        description="The first acknowledgement counts; a second answers the delivery unchanged. Only the team's "
        "members (403 for the staff); refused (400) once the run is over.",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        delivery, _done = services.delivery_acknowledge(delivery=self.get_object(), by=acting_user(request))
        return self.respond(delivery)


def _room_runs(user: Any) -> QuerySet[ExerciseRun]:
    return rooms.cell_room_queryset(user=user)


class MessageInputSerializer(serializers.Serializer):
    # Rows of the runs the user sees or plays in the cell of; the service checks the rest (same run, sides).
    run = VisibleRelatedField(
        queryset=ExerciseRun.objects.all(), visible=lambda runs, user: runs.filter(pk__in=_room_runs(user))
    )
    sender_team = VisibleRelatedField(
        queryset=RunTeam.objects.all(),
        visible=lambda teams, user: teams.filter(run__in=_room_runs(user)),
        allow_null=True,
        required=False,
        help_text=_("Your own team; leave out to send in a cell role or, for the staff, as exercise control."),
    )
    sender_cell_role = VisibleRelatedField(
        queryset=CellRole.objects.all(),
        visible=lambda roles, user: roles.filter(exercise__runs__in=_room_runs(user)).distinct(),
        allow_null=True,
        required=False,
    )
    recipient_teams = VisibleRelatedField(
        queryset=RunTeam.objects.all(),
        visible=lambda teams, user: teams.filter(run__in=_room_runs(user)),
        many=True,
        required=False,
    )
    recipient_cell_roles = VisibleRelatedField(
        queryset=CellRole.objects.all(),
        visible=lambda roles, user: roles.filter(exercise__runs__in=_room_runs(user)).distinct(),
        many=True,
        required=False,
    )
    subject = serializers.CharField(required=False, allow_blank=True, max_length=services.rooms.SUBJECT_MAX_LENGTH)
    body = serializers.CharField(max_length=services.MESSAGE_MAX_LENGTH)
    reply_to = VisibleRelatedField(
        queryset=Message.objects.all(),
        visible=lambda messages, user: messages.filter(pk__in=rooms.message_queryset(user=user).values("pk")),
        allow_null=True,
        required=False,
    )


class MessageFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", help_text=_("A run id."))
    team = django_filters.NumberFilter(method="filter_team", help_text=_("Sent by or to this team."))

    class Meta:
        model = Message
        fields = ("run", "team")

    def filter_team(self, messages: QuerySet[Message], name: str, value: Any) -> QuerySet[Message]:
        ids = Message.objects.filter(Q(sender_team_id=value) | Q(recipients__team_id=value)).values("pk")
        return messages.filter(pk__in=ids)


class MessageViewSet(ServiceViewSet):
    """Messages between the teams and cell roles of a run: sent to or by the user's team or the roles they
    play (every message of their runs for the staff), newest first."""

    queryset = Message.objects.all()
    serializer_class = MessageSerializer
    filterset_class = MessageFilter
    # Sending is checked by the service (a side one plays, recipients of the same run): 400 otherwise.
    rules_actions = {"create": "view", "read": "view"}

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MessageInputSerializer if self.action == "create" else MessageSerializer

    def get_queryset(self) -> QuerySet[Message]:
        return rooms.message_queryset(user=self.request.user)

    @extend_schema(request=MessageInputSerializer, responses={201: MessageSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(MessageInputSerializer)
        message = services.message_send(by=acting_user(request), **data)
        return Response(MessageSerializer(self.get_queryset().get(pk=message.pk)).data, status=201)

    @extend_schema(
        request=None,
        summary="Mark a message read",
        description="Records the first read for the recipients you act for (your team, the cell roles you play); "
        "the staff's reads are not recorded.",
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        message = self.get_object()
        services.message_read(message=message, by=acting_user(request))
        return Response(MessageSerializer(self.get_queryset().get(pk=message.pk)).data)
