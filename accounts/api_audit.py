"""The audit trail's API for coordinators: ``GET /api/v1/audit/`` (filtered, paginated) and
``GET /api/v1/audit/verify/`` (the chain's check as it stands). Everybody else: 403."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit_trail import EXPORT_HEADERS, AuditFilterForm, audit_entries_filtered, audit_people, filters_used
from audit.models import AuditEntry
from audit.selectors import audit_verify
from audit.services import audit_read


class MayReadAudit(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("audit.view_auditentry"))


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_email = serializers.SerializerMethodField()
    subject_email = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = tuple(EXPORT_HEADERS)  # the API and the CSV export give the same columns

    def _email(self, user_id: int | None) -> str:
        person = self.context.get("people", {}).get(user_id)
        return person.email if person else ""

    def get_actor_email(self, entry: AuditEntry) -> str:
        return self._email(entry.actor_id)

    def get_subject_email(self, entry: AuditEntry) -> str:
        return self._email(entry.subject_id)


class ChainReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    checked = serializers.IntegerField()
    unsealed = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField())


FILTERS = [
    OpenApiParameter("person", OpenApiTypes.STR, description="Part of an e-mail address: by or about these people."),
    OpenApiParameter("target_type", OpenApiTypes.STR, description="e.g. trainings.cohort"),
    OpenApiParameter("target_id", OpenApiTypes.STR, description="With target_type."),
    OpenApiParameter("action", OpenApiTypes.STR, description="An action prefix, e.g. enrolment."),
    OpenApiParameter("since", OpenApiTypes.DATE),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Included."),
]


class AuditEntryListAPIView(generics.ListAPIView):
    serializer_class = AuditEntrySerializer
    permission_classes = (IsAuthenticated, MayReadAudit)
    filter_backends = ()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        self.filters = form.cleaned_data
        return audit_entries_filtered(data=form.cleaned_data)

    @extend_schema(parameters=FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        entries = list(page or [])
        serializer = self.get_serializer(entries, many=True, context={"people": audit_people(entries=entries)})
        response = self.get_paginated_response(serializer.data)
        audit_read(action="audit.list", detail={"count": response.data["count"], "filters": filters_used(self.filters)})
        return response


class AuditVerifyAPIView(APIView):
    permission_classes = (IsAuthenticated, MayReadAudit)

    @extend_schema(responses=ChainReportSerializer)
    def get(self, request: Request) -> Response:
        report = audit_verify()
        data = {"ok": report.ok, "checked": report.checked, "unsealed": report.unsealed, "problems": report.problems}
        return Response(ChainReportSerializer(data).data)
