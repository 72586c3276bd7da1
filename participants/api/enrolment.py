"""The enrolment API beyond ``enrolments/``: roster imports, a cohort's roster and its export, the
waiting list, and attendance per session.

Routes: ``roster-imports/`` is a router resource; the cohort and session routes below are added
to ``config/api_router.py`` as they are (``urlpatterns``).
"""

from typing import Any

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api import EnumField
from core.tabular import FORMATS, table_response
from core.viewsets import ServiceViewSet
from participants import roster, services
from participants.api.serializers import EnrolmentSerializer, ParticipantSerializer, ParticipantSummarySerializer
from participants.attendance import AttendanceLine, attendance_record, session_attendance_sheet
from participants.models import Attendance, Enrolment, RosterImport
from participants.selectors import cohort_roster
from participants.services import NEW_ENROLMENT_STATUSES
from trainings.api.serializers import UserSummarySerializer
from trainings.models import Cohort, Session

# --- roster imports ------------------------------------------------------------------------------


class RosterRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=gettext_lazy("The line (or sheet row) in the file."))
    email = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    agency = serializers.CharField()
    position = serializers.CharField()
    country = serializers.CharField()
    preferred_language = serializers.CharField()
    person = EnumField(roster.PersonAction, allow_null=True, help_text=gettext_lazy("What happens to the person."))
    changes = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The profile fields an update changes.")
    )
    place = EnumField(roster.PlaceAction, allow_null=True, help_text=gettext_lazy("Empty for a row with problems."))
    current_status = EnumField(
        Enrolment.Status, allow_null=True, help_text=gettext_lazy("The status of an enrolment the person already has.")
    )
    # A declared field, popped by DRF's metaclass: the serializer's own ``errors`` property stays.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy(
            "The row's problems by column, or `capacity` (over capacity) or `schedule` (another cohort of the "
            "person meets at the same time); empty when the row is fine."
        ),
    )


class RosterImportSerializer(serializers.ModelSerializer):
    status = EnumField(RosterImport.Status)
    uploaded_by = UserSummarySerializer(allow_null=True)
    waitlist_rest = serializers.SerializerMethodField()
    enrolment_status = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = RosterImport
        fields: tuple[str, ...] = (
            "id",
            "cohort",
            "filename",
            "status",
            "uploaded_by",
            "created_at",
            "committed_at",
            "waitlist_rest",
            "enrolment_status",
            "counts",
        )

    @extend_schema_field(serializers.BooleanField())
    def get_waitlist_rest(self, roster_import: RosterImport) -> bool:
        return bool(roster_import.summary.get("options", {}).get("waitlist_rest", False))

    @extend_schema_field(
        EnumField([(s.value, s.label) for s in NEW_ENROLMENT_STATUSES], enum_name="NewEnrolmentStatus")
    )
    def get_enrolment_status(self, roster_import: RosterImport) -> str:
        return roster_import.summary.get("options", {}).get("status", Enrolment.Status.INVITED)

    @extend_schema_field(
        serializers.DictField(
            child=serializers.IntegerField(),
            help_text=gettext_lazy(
                "rows, errors; people: new, profile, update, unchanged; places: enrol, waitlist, already."
            ),
        )
    )
    def get_counts(self, roster_import: RosterImport) -> dict[str, int]:
        return dict(roster_import.summary.get("counts", {}))


class RosterImportDetailSerializer(RosterImportSerializer):
    """An import with the outcome of every row, checked against the cohort as it is now."""

    has_errors = serializers.SerializerMethodField()
    free_places = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()

    class Meta(RosterImportSerializer.Meta):
        fields = (*RosterImportSerializer.Meta.fields, "has_errors", "free_places", "rows")

    def _preview(self) -> roster.RosterPreview | None:
        return self.context.get("preview")

    def get_counts(self, roster_import: RosterImport) -> dict[str, int]:
        preview = self._preview()
        return preview.counts() if preview else super().get_counts(roster_import)

    @extend_schema_field(serializers.BooleanField())
    def get_has_errors(self, roster_import: RosterImport) -> bool:
        preview = self._preview()
        return bool(preview and preview.has_errors)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_free_places(self, roster_import: RosterImport) -> int | None:
        preview = self._preview()
        return preview.free_places if preview else None

    @extend_schema_field(RosterRowSerializer(many=True))
    def get_rows(self, roster_import: RosterImport) -> list[dict[str, Any]]:
        preview = self._preview()
        return [row.as_dict() for row in preview.rows] if preview else []


class RosterImportInputSerializer(serializers.Serializer):
    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all())
    file = serializers.FileField(
        help_text=gettext_lazy(
            "CSV or XLSX; columns email, first_name, last_name, agency, position, country, preferred_language."
        )
    )
    waitlist_rest = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("Rows beyond the free places go on the waiting list; otherwise they are errors."),
    )
    status = EnumField(
        [(s.value, s.label) for s in NEW_ENROLMENT_STATUSES],
        enum_name="NewEnrolmentStatus",
        required=False,
        default=Enrolment.Status.INVITED,
        help_text=gettext_lazy("The status of the new enrolments: invited (the default) or enrolled."),
    )


class RosterImportOptionsSerializer(serializers.Serializer):
    waitlist_rest = serializers.BooleanField()


class RosterImportFilter(django_filters.FilterSet):
    cohort = django_filters.NumberFilter(field_name="cohort_id", help_text=gettext_lazy("A cohort id."))
    status = django_filters.ChoiceFilter(choices=RosterImport.Status.choices)

    class Meta:
        model = RosterImport
        fields: tuple[str, ...] = ("cohort", "status")


class RosterImportViewSet(ServiceViewSet):
    """Roster imports (coordinators): upload a CSV/XLSX file for a preview, then commit it or discard it.

    The preview (``rows``) is checked against the cohort as it is at each request; ``commit``
    checks again and imports every row or none.
    """

    queryset = RosterImport.objects.all()
    serializer_class = RosterImportSerializer
    filterset_class = RosterImportFilter
    ordering_fields = ("created_at",)
    parser_classes = (MultiPartParser, FormParser, JSONParser)
    rules_actions = {"commit": "change", "discard": "change", "change_options": "change"}

    def get_queryset(self) -> QuerySet[RosterImport]:
        return roster.roster_import_list(user=self.request.user)

    def _detail(self, roster_import: RosterImport, *, preview: Any = None, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=roster_import.pk)
        if preview is None and fresh.status == RosterImport.Status.PREVIEWED:
            preview = roster.roster_import_preview(roster_import=fresh)
        context = {**self.get_serializer_context(), "preview": preview}
        return Response(RosterImportDetailSerializer(fresh, context=context).data, status=status_code)

    @extend_schema(responses=RosterImportDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    @extend_schema(
        request={"multipart/form-data": RosterImportInputSerializer}, responses={201: RosterImportDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        """Upload a roster. A file that cannot be read as a whole answers 400 and is not kept;
        problems in single rows are in the preview's ``rows``."""
        data = self.validated_input(RosterImportInputSerializer)
        upload = data["file"]
        roster_import = roster.roster_import_create(
            cohort=data["cohort"],
            uploaded_by=self.acting_user,
            filename=upload.name or "roster.csv",
            # One byte past the limit is enough for the size check.
            content=upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1),
            waitlist_rest=data["waitlist_rest"],
            status=data["status"],
        )
        return self._detail(roster_import, status_code=201)

    @extend_schema(request=RosterImportOptionsSerializer, responses=RosterImportDetailSerializer)
    # Not named ``options``: that is the view's handler of HTTP OPTIONS.
    @action(detail=True, methods=["post"], url_path="options", url_name="options")
    def change_options(self, request: Request, pk: str) -> Response:
        """Change whether rows beyond the free places go on the waiting list; the preview is checked again."""
        data = self.validated_input(RosterImportOptionsSerializer)
        roster_import = roster.roster_import_options_update(
            roster_import=self.get_object(), waitlist_rest=data["waitlist_rest"]
        )
        return self._detail(roster_import)

    @extend_schema(
        request=None,
        responses={
            200: RosterImportDetailSerializer,
            400: OpenApiResponse(
                RosterImportDetailSerializer,
                description="Nothing was imported: `rows` show each row's problems (and `non_field_errors` why).",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str) -> Response:
        """Import every row, or none when any row has a problem now."""
        roster_import = self.get_object()
        try:
            committed = roster.roster_import_commit(roster_import=roster_import, by=self.acting_user)
        except roster.RosterImportError as error:
            response = self._detail(roster_import, preview=error.preview, status_code=status.HTTP_400_BAD_REQUEST)
            response.data["non_field_errors"] = [error.message]
            return response
        return self._detail(committed)

    @extend_schema(request=None, responses=RosterImportDetailSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str) -> Response:
        """Drop the preview; nothing of it is imported."""
        return self._detail(roster.roster_import_discard(roster_import=self.get_object()))


def _acting(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated let only signed-in people through
    return user


# --- a cohort's roster, its export, its waiting list ---------------------------------------------


def _cohort(request: Request, pk: Any, perm: str, *, hide_when_denied: bool) -> Cohort:
    """The cohort if the user may see it (else 404) and holds ``perm`` on it (else 404 or 403)."""
    cohort = Cohort.objects.visible_to(request.user).filter(pk=pk).first()
    if cohort is None:
        raise exceptions.NotFound
    if not request.user.has_perm(perm, cohort):
        if hide_when_denied:
            raise exceptions.NotFound
        raise exceptions.PermissionDenied
    return cohort


class RosterEntrySerializer(serializers.ModelSerializer):
    participant = ParticipantSerializer()
    status = EnumField(Enrolment.Status)

    class Meta:
        model = Enrolment
        fields = ("id", "participant", "status", "status_changed_at", "waitlisted_at", "created_at")


class CohortRosterView(generics.ListAPIView):
    """The cohort's people with their enrolment status (the cohort's staff).

    The waiting list is the ``waitlisted`` entries ordered by ``waitlisted_at``.
    """

    serializer_class = RosterEntrySerializer
    permission_classes = (IsAuthenticated,)
    filter_backends = ()

    def get_queryset(self) -> QuerySet[Enrolment]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a cohort
            return Enrolment.objects.none()
        cohort = _cohort(self.request, self.kwargs["pk"], "trainings.view_cohort_roster", hide_when_denied=True)
        enrolments = cohort_roster(cohort=cohort)
        wanted = self.request.query_params.getlist("status")
        if wanted:
            enrolments = enrolments.filter(status__in=wanted)
        return enrolments

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Enrolment.Status.values, many=True, description="Only these statuses.")
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CohortRosterExportView(APIView):
    """The cohort's people and their status as a spreadsheet, in the roster import's columns."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        parameters=[OpenApiParameter("file_format", enum=list(FORMATS), default="csv")],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        cohort = _cohort(request, pk, "trainings.view_cohort_roster", hide_when_denied=True)
        # ``format`` is DRF's own query parameter (it picks a renderer), so the API says ``file_format``.
        fmt = request.query_params.get("file_format", "csv")
        if fmt not in FORMATS:
            raise exceptions.ValidationError({"file_format": [_("Choose csv or xlsx.")]})
        headers, rows = roster.roster_export_rows(cohort=cohort)
        return table_response(filename=f"{cohort.slug}-roster", headers=headers, rows=rows, fmt=fmt)


class CohortWaitlistPromoteView(APIView):
    """Give the cohort's free places to its waiting list, first come first served (coordinators).

    Withdrawals do this by themselves; call it after raising the cohort's capacity.
    """

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses=EnrolmentSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        cohort = _cohort(request, pk, "participants.manage_cohort_enrolment", hide_when_denied=False)
        promoted = services.cohort_waitlist_promote(cohort=cohort, by=_acting(request))
        fresh = (
            Enrolment.objects.filter(pk__in=[e.pk for e in promoted])
            .select_related("participant__user")
            .prefetch_related("status_changes__changed_by")
            .order_by("waitlisted_at", "pk")
        )
        return Response(EnrolmentSerializer(fresh, many=True).data)


# --- attendance ----------------------------------------------------------------------------------


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
        session = Session.objects.visible_to(request.user).select_related("cohort").filter(pk=pk).first()
        if session is None:
            raise exceptions.NotFound
        if not request.user.has_perm("trainings.record_attendance", session):
            raise exceptions.PermissionDenied
        return session

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
        lines = attendance_record(session=session, records=records, by=_acting(request))
        return Response(AttendanceLineSerializer(lines, many=True).data)


# Added to config/api_router.py's urlpatterns (names end up as api:<name>).
urlpatterns = [
    path("cohorts/<int:pk>/roster/", CohortRosterView.as_view(), name="cohort-roster"),
    path("cohorts/<int:pk>/roster/export/", CohortRosterExportView.as_view(), name="cohort-roster-export"),
    path("cohorts/<int:pk>/waitlist/promote/", CohortWaitlistPromoteView.as_view(), name="cohort-waitlist-promote"),
    path("sessions/<int:pk>/attendance/", SessionAttendanceView.as_view(), name="session-attendance"),
]
