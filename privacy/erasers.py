"""Ready-made ``Holding.erase`` functions, for holdings of several domains that erase alike."""

from typing import Any

from django.db.models import QuerySet

from jobs.services import job_results_withdraw


def job_results_erase(user: Any, rows: QuerySet[Any]) -> int:
    """Jobs whose result files may name the person (reports, certificate ZIPs): the files go after the
    commit, the rows stay as history; a job made again names the person by the anonymous label only."""
    return job_results_withdraw(jobs=rows)
