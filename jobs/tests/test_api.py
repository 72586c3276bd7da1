import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import UserFactory
from jobs.tests.conftest import KIND
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_my_jobs_in_few_queries(api_client, echo, django_assert_max_num_queries):
    me = UserFactory()
    JobFactory.create_batch(5, kind=KIND, requested_by=me, progress_done=1, progress_total=4)
    JobFactory(kind=KIND)
    api_client.force_authenticate(me)
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/jobs/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    first = body["results"][0]
    assert first["kind"] == KIND
    assert first["label"] == "Echo"
    assert (first["state"], first["progress_done"], first["progress_total"], first["percent"]) == ("queued", 1, 4, 25)
    assert first["download_url"] is None
    assert first["finished_at"] is None


def test_a_job_with_its_file(api_client, echo):
    job = JobFactory(
        kind=KIND,
        state="succeeded",
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
        result={"issued": 12},
        result_name="certificates.zip",
        result_content_type="application/zip",
    )
    job.result_file.save("a.bin", ContentFile(b"PK"), save=True)
    api_client.force_authenticate(job.requested_by)
    body = api_client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (body["state"], body["percent"], body["result"]) == ("succeeded", 100, {"issued": 12})
    assert body["download_url"] == f"http://testserver/api/v1/jobs/{job.pk}/download/"
    download = api_client.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"PK"


def test_a_job_without_a_file_has_no_download(api_client, echo):
    job = JobFactory(kind=KIND, state="failed", finished_at=timezone.now(), error="No graduates.")
    api_client.force_authenticate(job.requested_by)
    body = api_client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (body["error"], body["download_url"]) == ("No graduates.", None)
    assert api_client.get(f"/api/v1/jobs/{job.pk}/download/").status_code == 404


def test_others_get_404_unless_the_kind_lets_them_see(api_client, echo):
    job = JobFactory(kind=KIND)
    staff = UserFactory()
    echo.can_view = lambda user, job: user.pk == staff.pk
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert api_client.get("/api/v1/jobs/").json()["count"] == 0
    assert api_client.get("/api/v1/jobs/not-a-uuid/").status_code == 404
    api_client.force_authenticate(staff)
    assert api_client.get(f"/api/v1/jobs/{job.pk}/").status_code == 200
    assert api_client.get("/api/v1/jobs/").json()["count"] == 0  # lists are one's own jobs


def test_it_is_read_only(api_client, echo):
    job = JobFactory(kind=KIND)
    api_client.force_authenticate(job.requested_by)
    assert api_client.post("/api/v1/jobs/", {}).status_code == 403  # nobody may add a job here
    # Seen but not to be changed: 403 (no rule allows jobs.change_job or jobs.delete_job).
    assert api_client.patch(f"/api/v1/jobs/{job.pk}/", {"state": "failed"}).status_code == 403
    assert api_client.delete(f"/api/v1/jobs/{job.pk}/").status_code == 403
    job.refresh_from_db()
    assert job.state == "queued"
