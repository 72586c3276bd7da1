import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from jobs.models import Job
from jobs.tests.conftest import KIND
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def _with_file(**fields):
    job = JobFactory.build(
        kind=KIND,
        state="succeeded",
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=1),
        result_name="Certificates – Warsaw.zip",
        result_content_type="application/zip",
        **fields,
    )
    job.requested_by.save()
    job.result_file.save("x.bin", ContentFile(b"PK\x03\x04zip"), save=False)
    job.save()
    return job


def test_my_jobs_lists_only_mine_paginated_in_few_queries(client, echo, django_assert_max_num_queries):
    me = UserFactory()
    JobFactory.create_batch(30, kind=KIND, requested_by=me)
    JobFactory(kind=KIND, input={"say": "not mine"})
    client.force_login(me)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("jobs:job_list"))
    assert page.status_code == 200
    assert len(page.context["jobs"]) == 25
    assert page.context["page_obj"].paginator.count == 30
    assert "Echo" in page.content.decode()


def test_the_detail_page_shows_a_progress_bar_that_polls_while_active(client, echo):
    job = JobFactory(kind=KIND, state="running", progress_done=2, progress_total=5, attempts=1)
    client.force_login(job.requested_by)
    body = client.get(job.get_absolute_url()).content.decode()
    assert '<progress class="progress-bar" max="5" value="2">40%</progress>' in body
    assert "2 of 5 done (40%)." in body
    assert f'hx-get="{reverse("jobs:job_progress", kwargs={"pk": job.pk})}"' in body
    assert 'hx-trigger="every 2s"' in body
    assert "htmx-2.min.js" in body
    assert "<script>" not in body  # no inline script (CSP)


def test_the_progress_partial_stops_polling_once_done_and_links_the_file(client, echo):
    job = _with_file()
    client.force_login(job.requested_by)
    response = client.get(reverse("jobs:job_progress", kwargs={"pk": job.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "hx-trigger" not in body
    assert "<html" not in body
    assert reverse("jobs:job_download", kwargs={"pk": job.pk}) in body
    assert "no-store" in response["Cache-Control"]


def test_a_failed_job_shows_its_message(client, echo):
    job = JobFactory(kind=KIND, state="failed", finished_at=timezone.now(), error="The cohort has no graduates.")
    client.force_login(job.requested_by)
    body = client.get(job.get_absolute_url()).content.decode()
    assert "The cohort has no graduates." in body
    assert "hx-trigger" not in body


def test_the_download_is_an_attachment_not_sniffed(client, echo):
    job = _with_file()
    client.force_login(job.requested_by)
    response = client.get(reverse("jobs:job_download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04zip"
    assert response["Content-Type"] == "application/zip"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]


def test_no_download_without_a_file_or_past_its_expiry(client, echo):
    running = JobFactory(kind=KIND, state="running", attempts=1)
    expired = _with_file()
    Job.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    gone = _with_file()
    gone.result_file.storage.delete(gone.result_file.name)
    for job in (running, expired, gone):
        client.force_login(job.requested_by)
        assert client.get(reverse("jobs:job_download", kwargs={"pk": job.pk})).status_code == 404
    client.force_login(expired.requested_by)
    assert "no longer kept" in client.get(expired.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["jobs:job_detail", "jobs:job_progress", "jobs:job_download"])
def test_other_peoples_jobs_answer_404_unless_the_kind_lets_them_see(client, echo, name):
    job = _with_file()
    stranger, staff = UserFactory(), UserFactory()
    echo.can_view = lambda user, job: user.pk == staff.pk
    url = reverse(name, kwargs={"pk": job.pk})
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_the_include_renders_for_a_domain_page(echo):
    job = JobFactory(kind=KIND, state="queued")
    html = render_to_string("jobs/_job_progress.html", {"job": job})
    assert f'id="job-{job.pk}"' in html
    assert "Waiting to start." in html
    assert "Echo" in html


def test_the_rule_and_visible_to_agree_on_own_jobs_and_the_rule_adds_the_kinds(echo):
    owner, other, staff = UserFactory(), UserFactory(), UserFactory()
    superuser = User.objects.create_superuser(email="root@example.org", password="x-long-pass-1")
    echo.can_view = lambda user, job: user.pk == staff.pk
    job = JobFactory(kind=KIND, requested_by=owner)
    anonymous_job = JobFactory(kind="walk.unregistered", requested_by=None)
    for user in (owner, other, staff, superuser, AnonymousUser()):
        for each in (job, anonymous_job):
            listed = Job.objects.visible_to(user).filter(pk=each.pk).exists()
            ruled = user.has_perm("jobs.view_job", each)
            # What the list shows, the rule allows; the rule adds only what a kind lets see.
            assert not listed or ruled, (user, each)
            if ruled and not listed:
                assert (user, each) == (staff, job)
    assert owner.has_perm("jobs.view_job", job)
    assert staff.has_perm("jobs.view_job", job)
    assert not other.has_perm("jobs.view_job", job)
    assert not other.has_perm("jobs.view_job", anonymous_job)
    assert superuser.has_perm("jobs.view_job", anonymous_job)
