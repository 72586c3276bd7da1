"""Jobs, read-only: ``/api/v1/jobs/`` (the jobs I asked for), one job, and its result file."""

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request

from core.viewsets import ServiceViewSet
from jobs import selectors
from jobs.api.serializers import JobSerializer
from jobs.models import Job
from jobs.views import job_download_record, job_file_response


class JobViewSet(ServiceViewSet):
    """Background jobs. The list holds the jobs you asked for; a job that another person asked for
    answers when its kind lets you see it (e.g. a cohort's certificates, for its staff), 404 otherwise."""

    queryset = Job.objects.none()  # the model for RulesPermission; reads come from the selectors
    serializer_class = JobSerializer
    http_method_names = ("get", "head", "options")  # type: ignore[assignment]
    filterset_fields = ("state", "kind", "scope")
    ordering_fields = ("requested_at",)

    def get_queryset(self) -> Any:
        return selectors.jobs_visible(user=self.request.user)

    def get_object(self) -> Job:
        job = selectors.job_for(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, job)
        return job

    # The kinds' files: ZIP archives (certificates, personal-data exports), PDF reports, anything else.
    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None, **kwargs: Any) -> FileResponse:
        """The job's result file (an attachment); 404 when it has none or it is no longer kept."""
        job = self.get_object()
        response = job_file_response(job)
        job_download_record(job)
        return response
