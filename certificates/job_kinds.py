"""The jobs certificates registers (``CertificatesConfig.ready()``): issuing and the cohort's ZIP."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jobs.models import Job
from jobs.registry import JobKind, register
from jobs.services import JobProgress


def _can_view(user: Any, job: Job) -> bool:
    """The cohort's certificate managers see its certificate jobs (the requester always does)."""
    from trainings.models import Cohort

    cohort = Cohort.objects.filter(pk=job.input.get("cohort_id")).first()
    return cohort is not None and user.has_perm("certificates.manage_certificates", cohort)


def _issue(job: Job, progress: JobProgress) -> dict[str, Any]:
    from certificates.services import run_issue_job

    return run_issue_job(job, progress)


def _zip(job: Job, progress: JobProgress) -> dict[str, Any]:
    from certificates.services import run_zip_job

    return run_zip_job(job, progress)


def register_kinds() -> None:
    register(JobKind(name="certificates.issue", label=_("Issue certificates"), run=_issue, can_view=_can_view))
    register(
        JobKind(
            name="certificates.zip",
            label=_("Certificates as one ZIP"),
            run=_zip,
            can_view=_can_view,
            keep_result_seconds=settings.CONCORD_CERTIFICATE_ZIP_HOURS * 3600,
        )
    )
