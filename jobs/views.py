"""Job pages: my jobs, one job with its progress (polled by htmx), its progress partial, its file."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views import View
from django.views.generic import DetailView, ListView

from audit.services import audit_read
from jobs import selectors
from jobs.models import Job
from jobs.registry import kind_for


class JobListView(LoginRequiredMixin, ListView):
    """The jobs I asked for (jobs others may show me are listed on their domain's pages)."""

    template_name = "jobs/job_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self) -> Any:
        return selectors.jobs_visible(user=self.request.user)


class JobMixin(LoginRequiredMixin):
    """Finds the job by ``jobs.view_job`` (``selectors.job_for``): 404 for a job the user may not see."""

    request: HttpRequest
    object: Job

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = selectors.job_for(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_object(self, queryset: Any = None) -> Job:
        return self.object


class JobDetailView(JobMixin, DetailView):
    template_name = "jobs/job_detail.html"
    context_object_name = "job"


class JobProgressView(JobMixin, View):
    """The progress partial that the job's box polls; without the poll once the job is done."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        response = render(request, "jobs/_job_progress.html", {"job": self.object})
        patch_cache_control(response, no_store=True)
        return response


class JobDownloadView(JobMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> FileResponse:
        response = job_file_response(self.object)
        job_download_record(self.object)
        return response


def job_download_record(job: Job) -> None:
    """A download is a read of the job's result: about the person its kind names (a personal-data export)."""
    kind = kind_for(job.kind)
    subject = kind.download_subject(job) if kind is not None and kind.download_subject is not None else None
    audit_read(action="job.download", target=job, subject_id=subject, detail={"kind": job.kind})


def job_file_response(job: Job) -> FileResponse:
    """The job's result file as a private download the browser never renders; 404 when none or expired."""
    if not job.has_result_file():
        raise Http404
    try:
        stream = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename=job.result_name or "result")
    response["Content-Type"] = job.result_content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
