"""Attendance per session in the API: the sheet, and recording it in one go (the cohort's staff)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.requests import acting_user
from core.api import EnumField
from core.permissions import object_for
from participants.api.serializers import ParticipantSummarySerializer
from participants.attendance import (
    AttendanceLine,
    attendance_mark_all_present,
    attendance_record,
    session_attendance_sheet,
)
from participants.models import Attendance, Enrolment
from trainings.api.serializers import UserSummarySerializer
from trainings.models import Session


class AttendanceLineSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(source="enrolment.pk")
    participant = ParticipantSummarySerializer(source="enrolment.participant")
    enrolment_status = EnumField(Enrolment.Status, source="enrolment.status")
    status = EnumField(Attendance.Status, allow_null=True, help_text=gettext_lazy("Empty: not recorded."))
    recorded_at = serializers.DateTimeField(source="attendance.recorded_at", allow_null=True)
    recorded_by = UserSummarySerializer(source="attendance.recorded_by", allow_null=True)

    def to_representation(self, line: AttendanceLine) -> dict[str, Any]:
        attendance = line.attendance
        return {
            "enrolment": line.enrolment.pk,
            "participant": ParticipantSummarySerializer(line.enrolment.participant).data,
            "enrolment_status": line.enrolment.status,
            "status": attendance.status if attendance else None,
            "recorded_at": serializers.DateTimeField().to_representation(attendance.recorded_at)
            if attendance
            else None,
            "recorded_by": UserSummarySerializer(attendance.recorded_by).data
            if attendance and attendance.recorded_by
            else None,
        }


class AttendanceRecordInputSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    status = EnumField(Attendance.Status, allow_null=True, help_text=gettext_lazy("null removes the record."))


class AttendanceInputSerializer(serializers.Serializer):
    records = AttendanceRecordInputSerializer(many=True, allow_empty=False)

    def validate_records(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [record["enrolment"] for record in records]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Each enrolment may appear once."))
        return records


class SessionAttendanceView(APIView):
    """A session's attendance sheet: everyone holding a place in its cohort, with their attendance.

    The cohort's facilitators and coordinators read and record it; recording again updates.
    """

    permission_classes = (IsAuthenticated,)

    def _session(self, request: Request, pk: Any) -> Session:
        return object_for(
            user=request.user,
            queryset=Session.objects.visible_to(request.user).select_related("cohort"),
            perm="trainings.record_attendance",
            pk=pk,
        )

    @extend_schema(responses=AttendanceLineSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        lines = session_attendance_sheet(session=self._session(request, pk))
        return Response(AttendanceLineSerializer(lines, many=True).data)

    @extend_schema(request=AttendanceInputSerializer, responses=AttendanceLineSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        """Record several people at once; any problem refuses the whole list (HTTP 400)."""
        session = self._session(request, pk)
        serializer = AttendanceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        records = {record["enrolment"]: record["status"] for record in serializer.validated_data["records"]}
        lines = attendance_record(session=session, records=records, by=acting_user(request))
        return Response(AttendanceLineSerializer(lines, many=True).data)


class SessionAttendanceAllPresentView(SessionAttendanceView):
    """Mark everyone enrolled present who has no record for the session yet; records made are kept."""

    http_method_names = ("post", "options")

    @extend_schema(request=None, responses=AttendanceLineSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        session = self._session(request, pk)
        lines = attendance_mark_all_present(session=session, by=acting_user(request))
        return Response(AttendanceLineSerializer(lines, many=True).data)
