"""Report PDFs are job result files: they expire and jobs' hourly purge deletes them (#13, retention).

A run report is kept as long as its shared link may live (``SHARE_MAX_AGE``); a cohort report
CONCORD_JOB_RESULT_DAYS. Once purged, neither the page's download nor the shared link serves it.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from jobs.models import Job
from jobs.services import job_run, jobs_purge_expired
from reports import services
from reports.tests.test_run_report import full_run

pytestmark = pytest.mark.django_db


def _built(request) -> Job:
    job, _created = request
    assert job_run(job_id=str(job.pk)) == Job.State.SUCCEEDED
    job.refresh_from_db()
    return job


def test_report_files_expire_and_are_purged(client, settings, django_capture_on_commit_callbacks):
    settings.CONCORD_JOB_RESULT_DAYS = 3
    run, facilitator, _names = full_run()
    with django_capture_on_commit_callbacks(execute=False):
        run_job = _built(services.run_report_request(run=run, user=facilitator, shareable=True))
        cohort_job = _built(services.cohort_report_request(cohort=run.cohort, user=facilitator))
    run_file, cohort_file = Path(run_job.result_file.path), Path(cohort_job.result_file.path)
    assert run_file.exists()
    assert cohort_file.exists()
    assert run_job.expires_at - run_job.finished_at == pytest.approx(
        services.SHARE_MAX_AGE, abs=dt.timedelta(seconds=5)
    )
    assert cohort_job.expires_at - cohort_job.finished_at == pytest.approx(
        dt.timedelta(days=3), abs=dt.timedelta(seconds=5)
    )
    token = services.shared_link_token(job=run_job)

    # Before either expires, nothing goes.
    assert jobs_purge_expired(now=cohort_job.expires_at - dt.timedelta(seconds=1)) == 0
    assert run_file.exists()
    assert cohort_file.exists()

    # The cohort report first (3 days), the run report at the end of its shared link's life.
    assert jobs_purge_expired(now=cohort_job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not cohort_file.exists()
    assert run_file.exists()
    assert jobs_purge_expired(now=run_job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not run_file.exists()
    assert jobs_purge_expired(now=run_job.expires_at + dt.timedelta(days=1)) == 0  # idempotent

    for job in (run_job, cohort_job):
        job.refresh_from_db()
        assert not job.result_file
        assert job.state == Job.State.SUCCEEDED  # the row stays as history
    client.force_login(facilitator)
    assert client.get(reverse("reports:run_report_pdf", kwargs={"pk": run.pk, "job": run_job.pk})).status_code == 404
    assert client.get(reverse("reports:shared_pdf", kwargs={"token": token})).status_code == 404
