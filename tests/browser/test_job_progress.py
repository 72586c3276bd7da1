"""A job's page on a phone: its progress bar moves without a reload, and once the job is done the
download link appears and the page stops asking."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import CoordinatorFactory
from jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_progress_bar_follows_the_job_and_stops_when_it_is_done(page, live_server, login):
    user = CoordinatorFactory(email="ada@example.org")
    job = Job.objects.create(
        kind="browser.report",
        dedupe_key="browser:1",
        requested_by=user,
        state=Job.State.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        lease_until=timezone.now() + dt.timedelta(minutes=10),
        progress_done=1,
        progress_total=4,
    )
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if request.url.endswith("/progress/") else None)
    login("ada@example.org", "concord-pass-1")
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "1")
    expect(page.get_by_text("1 of 4 done (25%).")).to_be_visible()

    Job.objects.filter(pk=job.pk).update(progress_done=3)
    expect(bar).to_have_attribute("value", "3", timeout=6000)  # no reload: htmx asked again
    assert polls

    job.refresh_from_db()
    job.result_file.save("r.bin", ContentFile(b"%PDF-1.4"), save=False)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED,
        progress_done=4,
        finished_at=timezone.now(),
        lease_until=None,
        result_file=job.result_file.name,
        result_name="report.pdf",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    expect(page.get_by_role("link", name="Download report.pdf")).to_be_visible(timeout=6000)
    asked = len(polls)
    page.wait_for_timeout(4500)  # two polling periods
    assert len(polls) == asked, "the page kept asking after the job was done"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
