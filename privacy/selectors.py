"""Privacy's reads for pages and the API."""

from typing import Any

from jobs.models import Job
from jobs.selectors import jobs_for_scope
from privacy.export_job import KIND, person_scope

RECENT_EXPORTS = 5


def person_exports(*, person: Any, limit: int = RECENT_EXPORTS) -> list[Job]:
    """The person's latest export jobs, newest first, whoever asked: the caller has checked that the reader
    may follow them (``privacy.export_person``)."""
    return list(jobs_for_scope(scope=person_scope(person.pk)).filter(kind=KIND)[:limit])
