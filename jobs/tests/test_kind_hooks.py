"""What a kind may add: a keep time read when the job ends, the person its downloads are about, and a
result stored from an open file."""

import datetime as dt
import tempfile
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from jobs import registry
from jobs.models import Job
from jobs.services import job_request, job_run

pytestmark = pytest.mark.django_db

KIND = "tests.hooks"
KEEP = {"seconds": 3600}


def _run(job, progress):
    with tempfile.TemporaryFile() as stream:
        stream.write(b"PK" + b"x" * 100_000)
        stream.seek(0)
        progress.save_result(name="about.zip", content=stream, content_type="application/zip")
    return {}


@pytest.fixture
def hooks() -> Iterator[None]:
    registry.register(
        registry.JobKind(
            name=KIND,
            label="Hooks",
            run=_run,
            keep_result_seconds=lambda: KEEP["seconds"],
            download_subject=lambda job: job.input.get("about"),
        )
    )
    try:
        yield
    finally:
        registry.unregister(KIND)


def _done(by, about) -> Job:
    job, _new = job_request(kind=KIND, requested_by=by, dedupe_key=f"hooks:{about}", input={"about": about})
    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    return job


def test_the_keep_time_is_asked_when_the_job_ends_and_the_file_comes_from_a_stream(hooks):
    KEEP["seconds"] = 7200
    before = timezone.now()
    job = _done(UserFactory(), 1)
    assert job.state == Job.State.SUCCEEDED
    assert before + dt.timedelta(seconds=7200) <= job.expires_at <= timezone.now() + dt.timedelta(seconds=7200)
    with job.result_file.open("rb") as stored:
        assert stored.read() == b"PK" + b"x" * 100_000


def test_a_download_is_recorded_about_the_person_the_kind_names(hooks, client, django_capture_on_commit_callbacks):
    me, about = UserFactory(), UserFactory()
    job = _done(me, about.pk)
    client.force_login(me)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("jobs:job_download", kwargs={"pk": job.pk})).status_code == 200
    entry = AuditEntry.objects.get(action="job.download")
    assert (entry.actor_id, entry.subject_id, entry.detail) == (me.pk, about.pk, {"kind": KIND})
