"""Permission-walk expectations for the debrief reports (reports.urls and the run-/cohort-reports API).

The reports are for coordinators and the cohort's facilitators. The run's (and cohort's) own participant
sees the run, so the report answers 403; people who cannot see it get 404. The build pages take POST
only (405 for those allowed to reach them). The shared link needs no account: a valid token gives the
shareable PDF to anyone. The API's ``pdf`` action needs ``?job=``: without it, 404 after the permission check.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from jobs.models import Job
from reports import services
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401
STAFF = (LOGIN, 404, 403, 404, 200, 200)
API_STAFF = (REFUSED, 404, 403, 404, 200, 200)

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "reports:run_report": STAFF,
    "reports:run_report_build": (LOGIN, 404, 403, 404, 405, 405),
    "reports:run_report_export": STAFF,
    "reports:run_report_json": STAFF,
    "reports:run_report_pdf": STAFF,
    "reports:cohort_report": STAFF,
    "reports:cohort_report_build": (LOGIN, 404, 403, 404, 405, 405),
    "reports:cohort_report_pdf": STAFF,
    "reports:shared_pdf": (200, 200, 200, 200, 200, 200),
    "api:runreport-detail": API_STAFF,
    "api:runreport-jobs": API_STAFF,
    "api:runreport-export": (REFUSED, 404, 403, 404, 400, 400),  # without ?what= : 400 naming the choices
    "api:runreport-pdf": (REFUSED, 404, 403, 404, 404, 404),
    "api:cohortreport-detail": API_STAFF,
    "api:cohortreport-jobs": API_STAFF,
    "api:cohortreport-pdf": (REFUSED, 404, 403, 404, 404, 404),
}

SKIPPED: dict[str, str] = {
    "api:runreport-build": "write action (POST), outside this read-only walk; see reports/tests/test_pages_api.py",
    "api:cohortreport-build": "write action (POST), outside this read-only walk; see reports/tests/test_pages_api.py",
}


def finished_job(*, kind: str, scope: str, input: dict[str, Any]) -> Job:
    """A succeeded report job with a (tiny) PDF file, as the worker leaves it."""
    job = Job.objects.create(
        kind=kind,
        dedupe_key=f"walk:{scope}:{input}",
        scope=scope,
        input=input,
        state=Job.State.SUCCEEDED,
        finished_at=timezone.now(),
    )
    job.result_file.save(f"{job.pk}-report.pdf", ContentFile(b"%PDF-1.4 walk"), save=False)
    job.result_name, job.result_content_type = "report.pdf", "application/pdf"
    job.save()
    return job


def _run_job(world: World) -> Job:
    job = getattr(world, "_report_job", None)
    if job is None:
        job = finished_job(
            kind=services.RUN_KIND,
            scope=f"run:{world.run.pk}",
            input={"run_id": world.run.pk, "shareable": True, "language": "en"},
        )
        world._report_job = job  # type: ignore[attr-defined]
    return job


def _cohort_job(world: World) -> Job:
    job = getattr(world, "_cohort_report_job", None)
    if job is None:
        job = finished_job(
            kind=services.COHORT_KIND,
            scope=f"cohort:{world.cohort.pk}",
            input={"cohort_id": world.cohort.pk, "language": "en"},
        )
        world._cohort_report_job = job  # type: ignore[attr-defined]
    return job


TARGETS: dict[str, Callable[[World], Any]] = {
    "reports:run_report": lambda w: w.run,
    "reports:run_report_build": lambda w: w.run,
    "reports:run_report_export": lambda w: SimpleNamespace(pk=w.run.pk, what="observations", fmt="csv"),
    "reports:run_report_json": lambda w: w.run,
    "reports:run_report_pdf": lambda w: SimpleNamespace(pk=w.run.pk, job=_run_job(w).pk),
    "reports:cohort_report": lambda w: w.cohort,
    "reports:cohort_report_build": lambda w: w.cohort,
    "reports:cohort_report_pdf": lambda w: SimpleNamespace(slug=w.cohort.slug, job=_cohort_job(w).pk),
    "reports:shared_pdf": lambda w: SimpleNamespace(token=services.shared_link_token(job=_run_job(w))),
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "runreport": lambda w: w.run,
    "cohortreport": lambda w: w.cohort,
}
