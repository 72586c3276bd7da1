import pytest
from django.http import Http404

from accounts.tests.factories import UserFactory
from jobs import selectors
from jobs.tests.conftest import KIND
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_jobs_for_scope_lists_the_scopes_jobs_newest_first_whoever_asked(django_assert_max_num_queries):
    older = JobFactory(kind=KIND, scope="cohort:1")
    newer = JobFactory(kind=KIND, scope="cohort:1")
    JobFactory(kind=KIND, scope="cohort:2")
    with django_assert_max_num_queries(1):
        jobs = list(selectors.jobs_for_scope(scope="cohort:1"))
        assert [job.requested_by.email for job in jobs]  # loaded with the jobs
    assert [job.pk for job in jobs] == [newer.pk, older.pk]


def test_job_for_finds_only_what_the_rule_allows(echo):
    job = JobFactory(kind=KIND)
    assert selectors.job_for(user=job.requested_by, pk=job.pk) == job
    assert selectors.job_for(user=job.requested_by, pk=str(job.pk)) == job
    for pk in ("not-a-uuid", 12, "7f1b5b6e-0000-4000-8000-000000000000"):
        with pytest.raises(Http404):
            selectors.job_for(user=job.requested_by, pk=pk)
    with pytest.raises(Http404):
        selectors.job_for(user=UserFactory(), pk=job.pk)
