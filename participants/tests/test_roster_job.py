"""A roster import longer than CONCORD_ROSTER_JOB_ROWS is committed by a background job, its progress on the page."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from jobs.models import Job
from jobs.registry import kind_for
from jobs.services import job_run
from participants import services
from participants.models import Enrolment, RosterImport
from participants.roster_job import KIND
from participants.tests.factories import ParticipantFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,agency,position,country,preferred_language"


def _import(cohort, rows: int, *, by=None) -> RosterImport:
    content = "\n".join([HEADER, *(f"p{i}@example.org,P,{i},,,," for i in range(rows))]) + "\n"
    return services.roster_import_create(cohort=cohort, uploaded_by=by, filename="long.csv", content=content.encode())


@pytest.fixture
def threshold(settings):
    settings.CONCORD_ROSTER_JOB_ROWS = 3
    return 3


def test_the_kind_is_registered_by_participants():
    kind = kind_for(KIND)
    assert kind is not None
    assert str(kind.label) == "Import a roster"


def test_a_long_import_is_committed_by_a_job_and_the_page_shows_it(
    client, threshold, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=10)
    roster_import = _import(cohort, 5, by=coordinator)
    client.force_login(coordinator)
    url = reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"action": "commit"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert len(callbacks) >= 1
    job = Job.objects.get()
    assert (job.kind, job.requested_by, job.scope) == (KIND, coordinator, f"rosterimport:{roster_import.pk}")
    assert (job.state, job.progress_done, job.progress_total) == ("succeeded", 5, 5)
    assert job.result["enrol"] == 5
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert Enrolment.objects.filter(cohort=cohort).count() == 5

    body = client.get(url).content.decode()
    assert f'id="job-{job.pk}"' in body
    assert reverse("participants:cohort_roster", kwargs={"slug": cohort.slug}) in body


def test_while_the_job_runs_the_page_polls_and_offers_no_second_import(client, threshold):
    coordinator = CoordinatorFactory()
    roster_import = _import(CohortFactory(capacity=10), 4, by=coordinator)
    client.force_login(coordinator)
    url = reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})
    client.post(url, {"action": "commit"})  # no on-commit callbacks run here: the job stays queued
    client.post(url, {"action": "commit"})  # a second click
    job = Job.objects.get()
    assert job.state == "queued"
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'value="commit"' not in body
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED


def test_a_short_import_stays_synchronous(client, threshold):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=10)
    roster_import = _import(cohort, 3, by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:roster_preview", kwargs={"pk": roster_import.pk}), {"action": "commit"}
    )
    assert response["Location"] == reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})
    assert not Job.objects.exists()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED


def test_an_import_refused_at_commit_fails_the_job_with_the_reason(
    client, threshold, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=4)
    roster_import = _import(cohort, 4, by=coordinator)
    services.enrolment_create(cohort=cohort, participant=ParticipantFactory(), by=None)  # a place went meanwhile
    client.force_login(coordinator)
    url = reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "commit"})
    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error.startswith("Nothing was imported: 1 row has problems.")
    assert Enrolment.objects.filter(cohort=cohort).count() == 1
    assert job.error in client.get(url).content.decode()


def test_the_job_is_seen_by_coordinators_only(client, threshold):
    asking, colleague = CoordinatorFactory(), CoordinatorFactory()
    roster_import = _import(CohortFactory(capacity=10), 4, by=asking)
    client.force_login(asking)
    client.post(reverse("participants:roster_preview", kwargs={"pk": roster_import.pk}), {"action": "commit"})
    job_url = Job.objects.get().get_absolute_url()
    client.force_login(colleague)
    assert client.get(job_url).status_code == 200
    client.force_login(FacilitatorFactory())
    assert client.get(job_url).status_code == 404


def test_running_the_job_again_after_its_commit_changes_nothing(threshold):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=10)
    roster_import = _import(cohort, 4, by=coordinator)
    services.roster_import_commit(roster_import=roster_import, by=coordinator)
    job = Job.objects.create(kind=KIND, dedupe_key="x", input={"roster_import": roster_import.pk, "by": coordinator.pk})
    assert job_run(job_id=str(job.pk)) == "succeeded"
    assert Enrolment.objects.filter(cohort=cohort).count() == 4


def test_the_api_answers_202_with_the_job_for_a_long_import(api_client, threshold):
    coordinator = CoordinatorFactory()
    roster_import = _import(CohortFactory(capacity=10), 4, by=coordinator)
    api_client.force_authenticate(coordinator)
    url = f"/api/v1/roster-imports/{roster_import.pk}/commit/"
    first = api_client.post(url)  # the job stays queued: the test's transaction never commits
    again = api_client.post(url)
    assert (first.status_code, again.status_code) == (202, 202)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["state"] == "queued"
    assert first.json()["kind"] == KIND
    job = api_client.get(f"/api/v1/jobs/{first.json()['id']}/").json()
    assert job["label"] == "Import a roster"
