"""Scheduling in the API: hard conflicts as a 400 body with ``conflicts``, soft ones as ``warnings``,
and the input of a session's cancellation."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from core.api import EnumField, ErrorSerializer
from trainings.conflicts import SEVERITIES, Conflict, ScheduleConflictError
from trainings.models import Session


class ConflictingSessionSerializer(serializers.ModelSerializer):
    cohort = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Session
        fields = ("id", "cohort", "title", "starts_at", "ends_at")


class ConflictSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_(
            "cohort_overlap, room_taken, video_link_taken, facilitator_booked, lead_facilitator_booked, "
            "participant_booked, run_started (hard); run_too_long (soft)."
        )
    )
    severity = EnumField(SEVERITIES, enum_name="ConflictSeverity", help_text=_("Hard ones refuse the change."))
    message = serializers.CharField(help_text=_("Who or what is double-booked, where and when."))
    clashes_with = ConflictingSessionSerializer(allow_null=True, help_text=_("The other session, if any."))


class ScheduleConflictErrorSerializer(ErrorSerializer):
    """The 400 body of a write that schedules: the one error shape (``Error``), plus ``conflicts`` when
    hard conflicts refused the change. Nothing was saved."""

    conflicts = ConflictSerializer(
        many=True, required=False, help_text=_("Every hard conflict, when conflicts refused the change.")
    )


def conflict_response(error: ScheduleConflictError) -> Response:
    body = {"non_field_errors": [error.message], "conflicts": ConflictSerializer(error.conflicts, many=True).data}
    return Response(body, status=400)


class ConflictResponseMixin:
    """For viewsets whose writes schedule sessions or runs: hard conflicts answer with their details."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ScheduleConflictError):
            return conflict_response(exc)
        return super().handle_exception(exc)  # type: ignore[misc]


def with_warnings(serializer_class: type[serializers.ModelSerializer]) -> type[serializers.ModelSerializer]:
    """The output serializer plus ``warnings``: the soft conflicts saved with the change."""
    meta = type("Meta", (serializer_class.Meta,), {"fields": (*serializer_class.Meta.fields, "warnings")})
    name = serializer_class.__name__.removesuffix("Serializer") + "WithWarningsSerializer"
    attrs = {
        "__module__": __name__,
        "__doc__": serializer_class.__doc__,
        "Meta": meta,
        "warnings": ConflictSerializer(
            many=True, read_only=True, source="schedule_warnings", help_text=_("Soft conflicts, saved anyway.")
        ),
    }
    return type(name, (serializer_class,), attrs)


def warned(instance: Any, warnings: list[Conflict]) -> Any:
    instance.schedule_warnings = warnings
    return instance


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=_("Sent to the session's participants and facilitators in the cancellation email."),
    )
