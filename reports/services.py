"""Writes for the debrief reports: requesting the PDF jobs, and the signed link to a shareable PDF.

The PDF is the job's result file (``jobs``); the JSON, CSV and XLSX are built live from the data by the
pages and the API, permission-checked, so nothing personal is stored twice.
"""

import datetime as dt
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from exercises.models import ExerciseRun
from jobs.models import Job
from jobs.services import job_request
from trainings.models import Cohort

RUN_KIND, COHORT_KIND = "reports.run", "reports.cohort"
SHARE_SALT = "reports.shared-pdf"
# How long a shareable link works after it is made.
SHARE_MAX_AGE = dt.timedelta(days=14)


def _language(language: str) -> str:
    from django.conf import settings

    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ApplicationError(field_errors={"language": [_("Choose one of the site's languages.")]})
    return language


@transaction.atomic
def run_report_request(
    *, run: ExerciseRun, user: Any, shareable: bool = False, language: str = "en"
) -> tuple[Job, bool]:
    """The PDF job for ``run`` (the same one while it is queued or running: one per run, version, language)."""
    language = _language(language)
    version = "shareable" if shareable else "full"
    return job_request(
        kind=RUN_KIND,
        requested_by=user,
        dedupe_key=f"{RUN_KIND}:{run.pk}:{version}:{language}",
        input={"run_id": run.pk, "shareable": shareable, "language": language},
        scope=f"run:{run.pk}",
        total=2,
    )


@transaction.atomic
def cohort_report_request(*, cohort: Cohort, user: Any, language: str = "en") -> tuple[Job, bool]:
    language = _language(language)
    return job_request(
        kind=COHORT_KIND,
        requested_by=user,
        dedupe_key=f"{COHORT_KIND}:{cohort.pk}:{language}",
        input={"cohort_id": cohort.pk, "language": language},
        scope=f"cohort:{cohort.pk}",
        total=2,
    )


def shared_link_token(*, job: Job) -> str:
    """A signed, timestamped token naming a finished shareable run-report job (checked again on use)."""
    if job.kind != RUN_KIND or not job.input.get("shareable") or job.state != Job.State.SUCCEEDED:
        raise ApplicationError(_("Only a finished shareable report can be shared by link."))
    return signing.dumps({"job": str(job.pk)}, salt=SHARE_SALT, compress=True)


def shared_job(*, token: str, now: dt.datetime | None = None) -> Job | None:
    """The shareable job the token names, or None (tampered, expired, not shareable, file gone)."""
    try:
        payload = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    job = Job.objects.filter(pk=payload.get("job"), kind=RUN_KIND, state=Job.State.SUCCEEDED).first()
    if job is None or not job.input.get("shareable") or not job.result_file:
        return None
    if job.expires_at is not None and job.expires_at <= (now or timezone.now()):
        return None
    return job
