"""Who may see a job: the person who asked for it, or whoever its kind lets see it (``JobKind.can_view``,
e.g. the cohort's staff for its certificates). Superusers see every job.

Lists (``Job.objects.visible_to``) show a person's own jobs only: the kinds' rules are not queries.
Domain pages list the jobs of their scope with ``jobs.selectors.jobs_for_scope`` after checking
the scope themselves. A job page answers 404 to anyone this rule refuses.
"""

from typing import Any

import rules

from jobs.registry import kind_for


@rules.predicate
def requested_job(user: Any, job: Any) -> bool:
    return job is not None and user.is_authenticated and job.requested_by_id == user.pk


@rules.predicate
def kind_lets_see(user: Any, job: Any) -> bool:
    if job is None or not user.is_authenticated:
        return False
    kind = kind_for(job.kind)
    return kind is not None and bool(kind.can_view(user, job))


rules.add_perm("jobs.view_job", requested_job | kind_lets_see)
