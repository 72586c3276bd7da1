"""The debrief report pages: the run report in HTML, its exports and JSON, the PDF jobs, the cohort
report, and the signed link to a shareable PDF for people without an account."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.languages import reader_language
from accounts.requests import acting_user
from audit.services import audit_read
from conduct.selectors import run_clock_queryset
from core.exceptions import ApplicationError
from core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun
from jobs.models import Job
from reports import exports, selectors, services
from trainings.models import Cohort

NOINDEX = "noindex, nofollow, noarchive"


def _pdf_response(job: Job) -> FileResponse:
    response = FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response


def _jobs(scope: str, kind: str) -> list[Job]:
    return list(Job.objects.filter(scope=scope, kind=kind).order_by("-requested_at")[:6])


class _RunReportView(ObjectPermissionMixin, View):
    """Coordinators and the run cohort's facilitators; participants (who see the run) 403, others 404."""

    permission_required = "reports.view_run_report"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return run_clock_queryset(user=self.request.user)

    def report(self, *, shareable: bool = False) -> Any:
        return selectors.run_report(
            run=self.object,
            user=self.request.user,
            now=timezone.now(),
            shareable=shareable,
            language=translation.get_language() or "en",
        )


class RunReportView(_RunReportView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.object
        jobs = _jobs(f"run:{run.pk}", services.RUN_KIND)
        shares = {
            job.pk: request.build_absolute_uri(
                reverse("reports:shared_pdf", kwargs={"token": services.shared_link_token(job=job)})
            )
            for job in jobs
            if job.input.get("shareable") and job.state == Job.State.SUCCEEDED and job.result_file
        }
        context = {
            "run": run,
            "report": self.report(),
            "jobs": [(job, shares.get(job.pk)) for job in jobs],
            "exports": [(what, exports.EXPORT_LABELS[what]) for what in exports.EXPORTS],
            "delimiters": export_delimiter_choices(user=acting_user(request)),
            "delimiter_parameter": DELIMITER_PARAMETER,
        }
        audit_read(action="report.view", target=run)
        return render(request, "reports/run_report.html", context)


class RunReportBuildView(_RunReportView):
    """POST: queue the PDF (``shareable=1`` for the version without names); back to the report page."""

    permission_required = "reports.build_run_report"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shareable = request.POST.get("shareable") == "1"
        try:
            _job, created = services.run_report_request(
                run=self.object,
                user=acting_user(request),
                shareable=shareable,
                language=reader_language(request),  # the PDF in the requester's language
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The PDF is being built.") if created else _("The PDF is already being built."))
        return HttpResponseRedirect(reverse("reports:run_report", kwargs={"pk": self.object.pk}))


class RunReportExportView(_RunReportView):
    def get(self, request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
        if what not in exports.EXPORTS or fmt not in exports.FORMATS:
            raise Http404
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get(DELIMITER_PARAMETER))
        except ApplicationError as error:
            return HttpResponseBadRequest(str(error))
        report = self.report()
        content = exports.export_bytes(report, what=what, fmt=fmt, delimiter=delimiter)
        response = HttpResponse(content, content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE)
        filename = exports.export_filename(report, what=what)
        response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
        audit_read(action="report.export", target=self.object, detail={"what": what, "format": fmt})
        return response


class RunReportJsonView(_RunReportView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = HttpResponse(self.report().to_json(), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="run-{pk}-report.json"'
        audit_read(action="report.export", target=self.object, detail={"format": "json"})
        return response


class RunReportPdfView(_RunReportView):
    """The PDF of one of this run's finished report jobs."""

    def get(self, request: HttpRequest, pk: int, job: UUID) -> FileResponse:
        found = Job.objects.filter(pk=job, kind=services.RUN_KIND, scope=f"run:{pk}", state=Job.State.SUCCEEDED).first()
        if found is None or not found.result_file:
            raise Http404
        response = _pdf_response(found)
        audit_read(action="report.download", target=self.object, detail={"job": str(found.pk)})
        return response


class _CohortReportView(ObjectPermissionMixin, View):
    permission_required = "reports.view_cohort_report"
    lookup_field = lookup_url_kwarg = "slug"
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user).select_related("course")


class CohortReportView(_CohortReportView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        cohort = self.object
        context = {
            "cohort": cohort,
            "report": selectors.cohort_report(
                cohort=cohort, user=request.user, now=timezone.now(), language=translation.get_language() or "en"
            ),
            "jobs": _jobs(f"cohort:{cohort.pk}", services.COHORT_KIND),
        }
        audit_read(action="report.view", target=cohort)
        return render(request, "reports/cohort_report.html", context)


class CohortReportBuildView(_CohortReportView):
    permission_required = "reports.build_cohort_report"

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        try:
            _job, created = services.cohort_report_request(
                cohort=self.object, user=acting_user(request), language=reader_language(request)
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The PDF is being built.") if created else _("The PDF is already being built."))
        return HttpResponseRedirect(reverse("reports:cohort_report", kwargs={"slug": self.object.slug}))


class CohortReportPdfView(_CohortReportView):
    def get(self, request: HttpRequest, slug: str, job: UUID) -> FileResponse:
        found = Job.objects.filter(
            pk=job, kind=services.COHORT_KIND, scope=f"cohort:{self.object.pk}", state=Job.State.SUCCEEDED
        ).first()
        if found is None or not found.result_file:
            raise Http404
        response = _pdf_response(found)
        audit_read(action="report.download", target=self.object, detail={"job": str(found.pk)})
        return response


@require_GET
def shared_pdf(request: HttpRequest, token: str) -> FileResponse:
    """The shareable PDF for anyone holding a valid, unexpired link: no login, never indexed, nothing
    but the shareable version's file. Any bad token is a plain 404."""
    job = services.shared_job(token=token)
    if job is None:
        raise Http404
    response = _pdf_response(job)
    # Nobody signed in: the entry says which report's shared link was used.
    audit_read(action="report.shared_download", target=job)
    response["X-Robots-Tag"] = NOINDEX
    response["Referrer-Policy"] = "no-referrer"
    return response
