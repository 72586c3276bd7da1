"""Reads for privacy's pages and API."""

from typing import Any

from accounts.models import User
from jobs.models import Job
from jobs.selectors import jobs_for_scope
from privacy import registry
from privacy.export_job import KIND, person_scope

RECENT_EXPORTS = 5


def person_erasure_plan(*, person: User) -> list[dict[str, Any]]:
    """What erasing the person would do, holding by holding: its title, how many rows it has for them,
    what erasure does to them and why (the erasure page's table)."""
    plan = []
    for holding in registry.holdings():
        plan.append(
            {
                "title": holding.title,
                "rows": holding.queryset(person).count(),
                "erasure": registry.ERASURE_LABELS[holding.erasure],
                "kept": holding.erasure is registry.Erasure.KEEP,
                "note": holding.erasure_note,
            }
        )
    return plan


def person_exports(*, person: Any, limit: int = RECENT_EXPORTS) -> list[Job]:
    """The person's latest export jobs, newest first, whoever asked: the caller has checked that the reader
    may follow them (``privacy.export_person``)."""
    return list(jobs_for_scope(scope=person_scope(person.pk)).filter(kind=KIND)[:limit])
