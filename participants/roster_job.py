"""The roster commit as a background job (``participants.roster_commit``), for imports too long for a request.

Registered with ``jobs.registry`` from ``ParticipantsConfig.ready()``. The commit stays all or none
in one transaction (``services.roster_import_commit``), so its progress jumps from nothing to done; the
job is what keeps the request short and shows the state. It is idempotent: an import already
committed is not committed again.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from jobs.models import Job
from jobs.registry import JobKind, register
from jobs.services import JobProgress, job_request
from participants import services
from participants.models import RosterImport

KIND = "participants.roster_commit"


def roster_import_scope(roster_import: RosterImport) -> str:
    return f"rosterimport:{roster_import.pk}"


def roster_commit_in_background(*, roster_import: RosterImport) -> bool:
    """Whether the import is long enough (CONCORD_ROSTER_JOB_ROWS) to be committed by a job."""
    rows = (roster_import.summary or {}).get("counts", {}).get("rows", 0)
    return rows > settings.CONCORD_ROSTER_JOB_ROWS


def roster_commit_request(*, roster_import: RosterImport, by: User | None) -> tuple[Job, bool]:
    """Ask for the import's commit in the background; a second click returns the job already asked for."""
    return job_request(
        kind=KIND,
        requested_by=by,
        dedupe_key=f"{roster_import_scope(roster_import)}:commit",
        input={"roster_import": roster_import.pk, "by": getattr(by, "pk", None)},
        scope=roster_import_scope(roster_import),
    )


def _run(job: Job, progress: JobProgress) -> dict[str, Any]:
    roster_import = RosterImport.objects.select_related("cohort").get(pk=job.input["roster_import"])
    if roster_import.status != RosterImport.Status.COMMITTED:
        by = User.objects.filter(pk=job.input.get("by")).first()
        roster_import = services.roster_import_commit(roster_import=roster_import, by=by)
    counts = (roster_import.summary or {}).get("counts", {})
    rows = int(counts.get("rows", 0))
    progress.set_total(rows)
    progress.set_done(rows)
    return {
        "rows": rows,
        "new": int(counts.get("new", 0)) + int(counts.get("profile", 0)),
        "enrol": int(counts.get("enrol", 0)),
        "waitlist": int(counts.get("waitlist", 0)),
        "link": reverse("participants:cohort_roster", kwargs={"slug": roster_import.cohort.slug}),
    }


def _can_view(user: Any, job: Job) -> bool:
    roster_import = RosterImport.objects.filter(pk=job.input.get("roster_import")).first()
    return roster_import is not None and user.has_perm("participants.view_rosterimport", roster_import)


def register_roster_commit() -> None:
    register(JobKind(name=KIND, label=_("Import a roster"), run=_run, can_view=_can_view))
