"""The roster API: roster imports (upload, preview, options, commit, discard), a cohort's people and their export.

``roster-imports/`` is a router resource; the cohort routes are in ``participants.api.urls``.
"""

from typing import Any, ClassVar

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
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

from accounts.exports import DELIMITERS, export_delimiter
from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.requests import acting_user
from audit.services import audit_read
from audit.views import AuditedReadMixin
from core.api import EnumField
from core.filters import IdFilter
from core.permissions import object_for
from core.tabular import FORMATS, table_response
from core.viewsets import ServiceViewSet
from jobs.api.serializers import JobSerializer
from participants import roster, selectors, services
from participants.api.serializers import ParticipantSerializer
from participants.models import Enrolment, RosterImport
from participants.roster_job import roster_commit_in_background, roster_commit_request
from trainings.api.serializers import UserSummarySerializer
from trainings.models import Cohort

VIEW_ROSTER = "trainings.view_cohort_roster"

# --- roster imports ------------------------------------------------------------------------------


class RosterRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=gettext_lazy("The line (or sheet row) in the file."))
    email = serializers.CharField(
        help_text=gettext_lazy("As stored (normalised), or the cell as written when refused.")
    )
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


NEW_ENROLMENT_STATUS = [(s.value, s.label) for s in services.NEW_ENROLMENT_STATUSES]


class RosterImportSerializer(serializers.ModelSerializer):
    status = EnumField(RosterImport.Status)
    uploaded_by = UserSummarySerializer(allow_null=True)
    waitlist_rest = serializers.SerializerMethodField()
    enrolment_status = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    ignored_columns = serializers.SerializerMethodField()

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
            "ignored_columns",
            "purged_at",
        )
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "purged_at": {
                "help_text": gettext_lazy(
                    "When the file was deleted under the retention rules (CONCORD_ROSTER_FILE_DAYS): "
                    "no rows, and it can no longer be imported."
                )
            }
        }

    @extend_schema_field(serializers.BooleanField())
    def get_waitlist_rest(self, roster_import: RosterImport) -> bool:
        return bool(roster_import.summary.get("options", {}).get("waitlist_rest", False))

    @extend_schema_field(EnumField(NEW_ENROLMENT_STATUS, enum_name="NewEnrolmentStatus"))
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

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=gettext_lazy("Columns of the file that are not used (their names normalised)."),
        )
    )
    def get_ignored_columns(self, roster_import: RosterImport) -> list[str]:
        return list(roster_import.summary.get("ignored_columns", []))


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

    def get_ignored_columns(self, roster_import: RosterImport) -> list[str]:
        preview = self._preview()
        return list(preview.ignored_columns) if preview else super().get_ignored_columns(roster_import)

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
        NEW_ENROLMENT_STATUS,
        enum_name="NewEnrolmentStatus",
        required=False,
        default=Enrolment.Status.INVITED,
        help_text=gettext_lazy("The status of the new enrolments: invited (the default) or enrolled."),
    )


class RosterImportOptionsSerializer(serializers.Serializer):
    waitlist_rest = serializers.BooleanField()


class RosterImportFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id", help_text=gettext_lazy("A cohort id."))
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
        return selectors.roster_import_list(user=self.request.user)

    def _detail(self, roster_import: RosterImport, *, preview: Any = None, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=roster_import.pk)
        if preview is None and fresh.status == RosterImport.Status.PREVIEWED and not fresh.purged_at:
            preview = selectors.roster_import_preview(roster_import=fresh)
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
        roster_import = services.roster_import_create(
            cohort=data["cohort"],
            uploaded_by=acting_user(request),
            filename=upload.name or "roster.csv",
            # One byte past the limit is enough for the size check; the message says the real size.
            content=upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1),
            size=upload.size,
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
        roster_import = services.roster_import_options_update(
            roster_import=self.get_object(), waitlist_rest=data["waitlist_rest"]
        )
        return self._detail(roster_import)

    @extend_schema(
        request=None,
        responses={
            200: RosterImportDetailSerializer,
            202: OpenApiResponse(
                JobSerializer,
                description=(
                    "A roster longer than CONCORD_ROSTER_JOB_ROWS is imported by a background job: follow it at "
                    "/api/v1/jobs/{id}/. Asking again while it runs answers the same job."
                ),
            ),
            400: OpenApiResponse(
                RosterImportDetailSerializer,
                description="Nothing was imported: `rows` show each row's problems (and `non_field_errors` why).",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str) -> Response:
        """Import every row, or none when any row has a problem now (a long roster: in the background)."""
        roster_import = self.get_object()
        if roster_commit_in_background(roster_import=roster_import):
            job, _created = roster_commit_request(roster_import=roster_import, by=acting_user(request))
            return Response(
                JobSerializer(job, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED
            )
        try:
            committed = services.roster_import_commit(roster_import=roster_import, by=acting_user(request))
        except services.RosterImportError as error:
            response = self._detail(roster_import, preview=error.preview, status_code=status.HTTP_400_BAD_REQUEST)
            response.data["non_field_errors"] = [error.message]
            return response
        return self._detail(committed)

    @extend_schema(request=None, responses=RosterImportDetailSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str) -> Response:
        """Drop the preview; nothing of it is imported."""
        return self._detail(services.roster_import_discard(roster_import=self.get_object()))


# --- a cohort's people and their export ------------------------------------------------------------


def cohort_with_people(request: Request, pk: Any) -> Cohort:
    """The cohort whose people the user may see; 404 otherwise, like a cohort they cannot see."""
    return object_for(
        user=request.user, queryset=selectors.cohort_queryset(user=request.user, people=True), perm=VIEW_ROSTER, pk=pk
    )


class RosterEntrySerializer(serializers.ModelSerializer):
    participant = ParticipantSerializer()
    status = EnumField(Enrolment.Status)

    class Meta:
        model = Enrolment
        fields = ("id", "participant", "status", "status_changed_at", "waitlisted_at", "created_at")


class CohortRosterView(AuditedReadMixin, generics.ListAPIView):
    """The cohort's people with their enrolment status (the cohort's staff).

    The waiting list is the ``waitlisted`` entries ordered by ``waitlisted_at``.
    """

    audit_entity = "roster"

    serializer_class = RosterEntrySerializer
    permission_classes = (IsAuthenticated,)
    filter_backends = ()

    def get_queryset(self) -> QuerySet[Enrolment]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a cohort
            return Enrolment.objects.none()
        enrolments = selectors.cohort_roster(cohort=cohort_with_people(self.request, self.kwargs["pk"]))
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
    """The cohort's people and their status as a spreadsheet, in the roster import's columns.

    CSV cells are separated by a comma, or by a semicolon (``delimiter=semicolon``, which Excel in
    Polish or German expects); the choice is remembered for the person's next export.
    """

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        parameters=[
            OpenApiParameter("file_format", enum=list(FORMATS), default="csv"),
            OpenApiParameter(
                DELIMITER_PARAMETER,
                enum=list(DELIMITERS),
                description="CSV only; remembered. Without it, the person's last choice (comma at first).",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        cohort = cohort_with_people(request, pk)
        # ``format`` is DRF's own query parameter (it picks a renderer), so the API says ``file_format``.
        fmt = request.query_params.get("file_format", "csv")
        if fmt not in FORMATS:
            raise exceptions.ValidationError({"file_format": [_("Choose csv or xlsx.")]})
        delimiter = export_delimiter(user=acting_user(request), requested=request.query_params.get(DELIMITER_PARAMETER))
        headers, rows = selectors.roster_export_rows(cohort=cohort)
        audit_read(action="roster.export", target=cohort, detail={"count": len(rows), "format": fmt})
        return table_response(
            filename=f"{cohort.slug}-roster", headers=headers, rows=rows, fmt=fmt, delimiter=delimiter
        )
