"""Reads of jobs for pages and the API."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from jobs.models import Job
from jobs.querysets import JobQuerySet


def jobs_visible(*, user: Any) -> JobQuerySet:
    """The jobs a person asked for, newest first (their "My jobs" list and the API's list)."""
    return Job.objects.visible_to(user).select_related("requested_by").order_by("-requested_at")


def jobs_for_scope(*, scope: str) -> JobQuerySet:
    """The jobs of a domain's scope ("cohort:12"), newest first: the caller has checked who may see the scope."""
    return Job.objects.filter(scope=scope).select_related("requested_by").order_by("-requested_at")


def job_for(*, user: Any, pk: Any) -> Job:
    """The job, if ``jobs.view_job`` lets the user see it; 404 otherwise (never 403: ids are not confirmed)."""
    try:
        job = Job.objects.select_related("requested_by").filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID: matches nothing
        job = None
    if job is None or not user.has_perm("jobs.view_job", job):
        raise Http404
    return job
