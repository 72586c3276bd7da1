"""The report jobs' work (registered in ``ReportsConfig.ready``): build the data, draw the PDF, save it."""

from typing import Any

from django.utils import timezone, translation

from core.exceptions import ApplicationError
from exercises.models import ExerciseRun
from jobs.models import Job
from jobs.registry import JobKind
from jobs.services import JobProgress
from reports import content, pdf, selectors
from reports.services import COHORT_KIND, RUN_KIND, SHARE_MAX_AGE
from trainings.models import Cohort

PDF = "application/pdf"


def run_report_job(job: Job, progress: JobProgress) -> dict[str, Any]:
    run = ExerciseRun.objects.filter(pk=job.input.get("run_id")).first()
    if run is None:
        raise ApplicationError(translation.gettext("The run no longer exists."))
    shareable = bool(job.input.get("shareable"))
    with translation.override(job.input.get("language") or "en"):
        report = selectors.run_report(
            run=run, user=job.requested_by, now=timezone.now(), shareable=shareable, language=translation.get_language()
        )
        progress.set_done(1)
        document = pdf.render_run_report(report, labels=content.report_labels(time_zone=run.cohort.time_zone))
    suffix = "-shareable" if shareable else ""
    progress.save_result(name=f"after-action-report-run-{run.pk}{suffix}.pdf", content=document, content_type=PDF)
    progress.set_done(2)
    return {"run_id": run.pk, "shareable": shareable, "problems": len(report.problems)}


def cohort_report_job(job: Job, progress: JobProgress) -> dict[str, Any]:
    cohort = Cohort.objects.filter(pk=job.input.get("cohort_id")).select_related("course").first()
    if cohort is None:
        raise ApplicationError(translation.gettext("The cohort no longer exists."))
    with translation.override(job.input.get("language") or "en"):
        report = selectors.cohort_report(
            cohort=cohort, user=job.requested_by, now=timezone.now(), language=translation.get_language()
        )
        progress.set_done(1)
        document = pdf.render_cohort_report(report, labels=content.report_labels(time_zone=cohort.time_zone))
    progress.save_result(name=f"cohort-report-{cohort.slug}.pdf", content=document, content_type=PDF)
    progress.set_done(2)
    return {"cohort_id": cohort.pk, "runs": len(report.runs)}


def _can_view_run(user: Any, job: Job) -> bool:
    run = ExerciseRun.objects.filter(pk=job.input.get("run_id")).first()
    return run is not None and user.has_perm("reports.view_run_report", run)


def _can_view_cohort(user: Any, job: Job) -> bool:
    cohort = Cohort.objects.filter(pk=job.input.get("cohort_id")).first()
    return cohort is not None and user.has_perm("reports.view_cohort_report", cohort)


KINDS = (
    JobKind(
        name=RUN_KIND,
        label=translation.gettext_lazy("Run debrief report (PDF)"),
        run=run_report_job,
        can_view=_can_view_run,
        # As long as a shareable link may live (the link also ends when the file is purged).
        keep_result_seconds=int(SHARE_MAX_AGE.total_seconds()),
    ),
    JobKind(
        name=COHORT_KIND,
        label=translation.gettext_lazy("Cohort report (PDF)"),
        run=cohort_report_job,
        can_view=_can_view_cohort,
    ),
)
