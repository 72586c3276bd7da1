"""Permission-walk expectations for background jobs: my jobs, a job, its progress partial and its file.

The world's job was asked for by cohort A's facilitator (its kind registers no wider rule), so only
they see it; everyone else, the coordinator included, gets 404: a job's id is never confirmed.
Lists show each person their own jobs.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from jobs.models import Job
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

REQUESTER_ONLY = (LOGIN, 404, 404, 404, 200, 404)
API_REQUESTER_ONLY = (REFUSED, 404, 404, 404, 200, 404)

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "jobs:job_list": (LOGIN, 200, 200, 200, 200, 200),
    "jobs:job_detail": REQUESTER_ONLY,
    "jobs:job_progress": REQUESTER_ONLY,
    "jobs:job_download": REQUESTER_ONLY,
    "api:job-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:job-detail": API_REQUESTER_ONLY,
    "api:job-download": API_REQUESTER_ONLY,
}


def _job(world: World) -> Job:
    """The facilitator's finished job with a file, made once per world."""
    job = getattr(world, "_job", None)
    if job is None:
        now = timezone.now()
        job = Job(
            kind="walk.report",
            dedupe_key="walk:report",
            scope=f"cohort:{world.cohort.pk}",
            state=Job.State.SUCCEEDED,
            requested_by=world.users["facilitator"],
            finished_at=now,
            expires_at=now + dt.timedelta(days=1),
            result_name="report.pdf",
            result_content_type="application/pdf",
        )
        job.result_file.save("walk-report.bin", ContentFile(b"%PDF-1.4 walk"), save=False)
        job.save()
        world._job = job  # type: ignore[attr-defined]
    return job


TARGETS: dict[str, Callable[[World], Any]] = {
    "jobs:job_detail": _job,
    "jobs:job_progress": _job,
    "jobs:job_download": _job,
}

API_TARGETS: dict[str, Callable[[World], Any]] = {"job": _job}
