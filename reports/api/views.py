"""The debrief reports over the API.

- ``/api/v1/run-reports/{run_id}/``: the whole report as JSON (the shape of ``reports.data.RunReport``;
  ``?shareable=true`` for the version with no names).
- ``POST /api/v1/run-reports/{run_id}/build/`` ``{shareable, language}``: 202 and the PDF job (the same
  job again while one is queued or running); ``GET .../jobs/`` lists the run's report jobs with their
  progress; ``GET .../pdf/?job=<uuid>`` downloads a finished one.
- ``GET /api/v1/run-reports/{run_id}/exports/?what=observations|messages|injects|reflections&type=csv|xlsx``
  (``type``, not ``format``: DRF keeps ``format`` for choosing a renderer).
- ``/api/v1/cohort-reports/{cohort_id}/`` (by id: a slug in the URL would be echoed on refusal pages)
  with ``build/``, ``jobs/`` and ``pdf/`` likewise.

Coordinators and the cohort's facilitators; the run's participants 403; people who do not see it 404.
"""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter
from accounts.languages import reader_language
from accounts.requests import acting_user
from audit.services import audit_read
from conduct.selectors import run_clock_queryset
from core.exceptions import ApplicationError
from core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.viewsets import ServiceAPIMixin
from exercises.models import ExerciseRun
from jobs.models import Job
from reports import data, exports, selectors, services
from reports.api.serializers import BuildInputSerializer, CohortBuildInputSerializer, ReportJobSerializer
from trainings.models import Cohort

JOB_PARAMETER = OpenApiParameter("job", OpenApiTypes.UUID, required=True, description="The report job's id.")
PDF_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The PDF (application/pdf).")


def _language(request: Request, given: str | None) -> str:
    """The language asked for, else the requester's (``accounts.languages.reader_language``)."""
    return given or reader_language(request)


def _pdf(job: Job | None) -> FileResponse:
    if job is None or not job.result_file:
        raise Http404
    response = FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
    response["Content-Type"] = "application/pdf"
    return response


def _job_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.query_params.get("job", ""))
    except ValueError:
        raise Http404 from None


class _ReportViewSet(mixins.RetrieveModelMixin, ServiceAPIMixin):
    http_method_names = ("get", "post", "head", "options")  # type: ignore[assignment]
    kind = ""
    pdf_action = ""

    def scope(self, obj: Any) -> str:
        raise NotImplementedError

    def _jobs(self, obj: Any) -> list[Job]:
        return list(Job.objects.filter(kind=self.kind, scope=self.scope(obj)).order_by("-requested_at")[:20])

    def _job_data(self, job: Job, obj: Any) -> dict[str, Any]:
        request = self.request
        done = job.state == Job.State.SUCCEEDED and bool(job.result_file)
        pdf = None
        if done:
            base = reverse(
                f"api:{self.basename}-pdf",
                kwargs={self.lookup_url_kwarg or self.lookup_field: getattr(obj, self.lookup_field)},
            )
            pdf = request.build_absolute_uri(f"{base}?job={job.pk}")
        shared = None
        if done and job.kind == services.RUN_KIND and job.input.get("shareable"):
            shared = request.build_absolute_uri(
                reverse("reports:shared_pdf", kwargs={"token": services.shared_link_token(job=job)})
            )
        return {
            "id": job.pk,
            "kind": job.kind,
            "state": job.state,
            "input": job.input,
            "progress_done": job.progress_done,
            "progress_total": job.progress_total,
            "percent": job.percent,
            "error": job.error,
            "requested_at": job.requested_at,
            "finished_at": job.finished_at,
            "pdf": pdf,
            "shared_link": shared,
        }

    def _answer_job(self, job: Job, obj: Any, created: bool) -> Response:
        body = ReportJobSerializer(self._job_data(job, obj)).data
        return Response(body, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)


class RunReportViewSet(_ReportViewSet):
    kind = services.RUN_KIND
    serializer_class = ReportJobSerializer
    rules_actions = {
        "retrieve": "reports.view_run_report",
        "build": "reports.build_run_report",
        "jobs": "reports.view_run_report",
        "pdf": "reports.view_run_report",
        "export": "reports.view_run_report",
    }

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        return run_clock_queryset(user=self.request.user)

    def scope(self, obj: Any) -> str:
        return f"run:{obj.pk}"

    def _report(self, run: ExerciseRun, *, shareable: bool = False) -> data.RunReport:
        return selectors.run_report(
            run=run,
            user=self.request.user,
            now=timezone.now(),
            shareable=shareable,
            language=_language(self.request, None),
        )

    @extend_schema(
        summary="The run's after-action report (reports.data.RunReport as JSON)",
        parameters=[OpenApiParameter("shareable", bool, description="true: the version with no personal names.")],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="RunReport: see reports/data.py.")},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        shareable = request.query_params.get("shareable", "").lower() in ("1", "true")
        run = self.get_object()
        report = self._report(run, shareable=shareable)
        audit_read(action="report.view", target=run, detail={"shareable": shareable})
        return Response(data.to_plain(report))

    @extend_schema(
        summary="Build the report's PDF (a job)",
        request=BuildInputSerializer,
        responses={202: ReportJobSerializer, 200: ReportJobSerializer},
    )
    @action(detail=True, methods=["post"])
    def build(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        given = self.validated_input(BuildInputSerializer)
        job, created = services.run_report_request(
            run=run,
            user=acting_user(request),
            shareable=given["shareable"],
            language=_language(request, given.get("language")),
        )
        return self._answer_job(job, run, created)

    @extend_schema(summary="The run's report jobs, newest first", responses={200: ReportJobSerializer(many=True)})
    # A plain list (the newest few), not a page: pagination_class=None says so in the schema too.
    @action(detail=True, methods=["get"], pagination_class=None)
    def jobs(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        return Response(ReportJobSerializer([self._job_data(job, run) for job in self._jobs(run)], many=True).data)

    @extend_schema(
        summary="Download a finished report job's PDF", parameters=[JOB_PARAMETER], responses={200: PDF_RESPONSE}
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        run = self.get_object()
        job_id = _job_id(request)
        response = _pdf(
            Job.objects.filter(pk=job_id, kind=self.kind, scope=self.scope(run), state=Job.State.SUCCEEDED).first()
        )
        audit_read(action="report.download", target=run, detail={"job": str(job_id)})
        return response

    @extend_schema(
        summary="One of the report's tables as CSV or XLSX",
        parameters=[
            OpenApiParameter("what", str, required=True, enum=list(exports.EXPORTS), description="Which table."),
            OpenApiParameter("type", str, enum=list(exports.FORMATS), description="csv (default) or xlsx."),
            OpenApiParameter(DELIMITER_PARAMETER, str, enum=["comma", "semicolon"], description="CSV only."),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(detail=True, methods=["get"], url_path="exports")
    def export(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.get_object()
        what, fmt = request.query_params.get("what", ""), request.query_params.get("type", "csv")
        errors = {}
        if what not in exports.EXPORTS:
            errors["what"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(exports.EXPORTS)}]
        if fmt not in exports.FORMATS:
            errors["type"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(exports.FORMATS)}]
        if errors:
            raise ApplicationError(field_errors=errors)
        delimiter = export_delimiter(user=acting_user(request), requested=request.query_params.get(DELIMITER_PARAMETER))
        report = self._report(run)
        content = exports.export_bytes(report, what=what, fmt=fmt, delimiter=delimiter)
        response = HttpResponse(content, content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(report, what=what)}.{fmt}"'
        audit_read(action="report.export", target=run, detail={"what": what, "format": fmt})
        return response


class CohortReportViewSet(_ReportViewSet):
    kind = services.COHORT_KIND
    serializer_class = ReportJobSerializer
    rules_actions = {
        "retrieve": "reports.view_cohort_report",
        "build": "reports.build_cohort_report",
        "jobs": "reports.view_cohort_report",
        "pdf": "reports.view_cohort_report",
    }

    def get_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user).select_related("course")

    def scope(self, obj: Any) -> str:
        return f"cohort:{obj.pk}"

    @extend_schema(
        summary="The cohort report (reports.data.CohortReport as JSON)",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="CohortReport: see reports/data.py.")},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cohort = self.get_object()
        report = selectors.cohort_report(
            cohort=cohort, user=request.user, now=timezone.now(), language=_language(request, None)
        )
        audit_read(action="report.view", target=cohort)
        return Response(data.to_plain(report))

    @extend_schema(
        summary="Build the cohort report's PDF (a job)",
        request=CohortBuildInputSerializer,
        responses={202: ReportJobSerializer, 200: ReportJobSerializer},
    )
    @action(detail=True, methods=["post"])
    def build(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cohort = self.get_object()
        given = self.validated_input(CohortBuildInputSerializer)
        job, created = services.cohort_report_request(
            cohort=cohort, user=acting_user(request), language=_language(request, given.get("language"))
        )
        return self._answer_job(job, cohort, created)

    @extend_schema(summary="The cohort's report jobs, newest first", responses={200: ReportJobSerializer(many=True)})
    # A plain list (the newest few), not a page: pagination_class=None says so in the schema too.
    @action(detail=True, methods=["get"], pagination_class=None)
    def jobs(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cohort = self.get_object()
        return Response(
            ReportJobSerializer([self._job_data(job, cohort) for job in self._jobs(cohort)], many=True).data
        )

    @extend_schema(
        summary="Download a finished report job's PDF", parameters=[JOB_PARAMETER], responses={200: PDF_RESPONSE}
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        cohort = self.get_object()
        job_id = _job_id(request)
        response = _pdf(
            Job.objects.filter(pk=job_id, kind=self.kind, scope=self.scope(cohort), state=Job.State.SUCCEEDED).first()
        )
        audit_read(action="report.download", target=cohort, detail={"job": str(job_id)})
        return response
