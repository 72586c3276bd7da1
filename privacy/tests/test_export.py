"""The personal-data export's job, service, pages and API, for people of every role.

The contents of an export of someone who did everything are tested in tests/test_privacy_export.py (it
builds every domain's data; these tests import nothing above privacy).
"""

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory, UserFactory
from audit.models import AuditEntry
from jobs.models import Job
from jobs.registry import kind_for
from jobs.services import jobs_purge_expired
from privacy.export import export_sections
from privacy.export_job import KIND
from privacy.services import person_erase, person_export_request

pytestmark = pytest.mark.django_db

PAGE = "/account/data/"
API = "/api/v1/privacy/exports/"


def person_page(person: Any) -> str:
    return f"/people/{person.pk}/data/"


def _zip(job: Job) -> zipfile.ZipFile:
    with job.result_file.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def _requested(person: Any, by: Any, capture: Any) -> Job:
    with capture(execute=True):
        job = person_export_request(person=person, by=by)
    job.refresh_from_db()
    return job


# --- the job ----------------------------------------------------------------------------------------


def test_the_kind_is_registered_with_the_export_hours_read_when_a_job_ends(settings):
    kind = kind_for(KIND)
    assert kind is not None
    settings.CONCORD_PRIVACY_EXPORT_HOURS = 5
    assert callable(kind.keep_result_seconds)
    assert kind.keep_result_seconds() == 5 * 3600


def test_the_zip_is_kept_for_the_export_hours_then_purged(settings, django_capture_on_commit_callbacks):
    settings.CONCORD_PRIVACY_EXPORT_HOURS = 2
    person = ParticipantUserFactory()
    before = timezone.now()
    job = _requested(person, person, django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCEEDED
    assert before + dt.timedelta(hours=2) <= job.expires_at <= timezone.now() + dt.timedelta(hours=2)
    assert job.has_result_file()
    later = job.expires_at + dt.timedelta(seconds=1)
    assert not job.has_result_file(now=later)
    name = job.result_file.name
    jobs_purge_expired(now=later)
    job.refresh_from_db()
    assert not job.result_file
    assert not job.result_file.storage.exists(name)


def test_progress_counts_the_sections(django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    job = _requested(person, person, django_capture_on_commit_callbacks)
    assert job.progress_total == job.progress_done == len(export_sections())
    assert job.result == {"person": person.pk, "sections": job.result["sections"], "rows": job.result["rows"]}
    # A plain account: at least the account itself and the request's audit entry.
    assert job.result["sections"] >= 2


def test_a_section_appears_only_with_rows_and_readme_and_index_always(django_capture_on_commit_callbacks):
    person = ParticipantUserFactory(first_name="Ana", last_name="Popescu")
    archive = _zip(_requested(person, person, django_capture_on_commit_callbacks))
    names = set(archive.namelist())
    assert {"index.json", "README.txt", "accounts_user.json", "accounts_user.csv"} <= names
    index = json.loads(archive.read("index.json"))
    assert {f for section in index["sections"] for f in section["files"]} | {"index.json", "README.txt"} == names
    assert "Popescu" in archive.read("accounts_user.csv").decode("utf-8-sig")
    assert b"ZIP" not in archive.read("README.txt")  # plain prose, no placeholders left
    assert b"%(" not in archive.read("README.txt")


def test_two_requests_for_the_same_person_share_one_active_job():
    person = ParticipantUserFactory()
    coordinator = CoordinatorFactory()
    first = person_export_request(person=person, by=person)  # not run: no on-commit callbacks here
    again = person_export_request(person=person, by=person)
    on_behalf = person_export_request(person=person, by=coordinator)
    assert first.pk == again.pk == on_behalf.pk
    other = person_export_request(person=ParticipantUserFactory(), by=coordinator)
    assert other.pk != first.pk
    assert Job.objects.filter(kind=KIND).count() == 2


def test_a_finished_export_does_not_stop_a_new_one(django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    first = _requested(person, person, django_capture_on_commit_callbacks)
    second = _requested(person, person, django_capture_on_commit_callbacks)
    assert first.pk != second.pk


def test_an_erased_person_has_nothing_to_export():
    person = ParticipantUserFactory()
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    with pytest.raises(ValidationError, match="erased"):
        person_export_request(person=person, by=CoordinatorFactory())
    assert not Job.objects.exists()


def test_a_person_erased_before_the_job_runs_gets_no_file(django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = person_export_request(person=person, by=person)
    type(person).objects.filter(pk=person.pk).update(erased_at=timezone.now())
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "erased" in job.error
    assert not job.result_file


@pytest.mark.parametrize("role", ["participant", "facilitator"])
def test_only_the_person_or_a_coordinator_may_ask(role: str):
    asker = ParticipantUserFactory() if role == "participant" else FacilitatorFactory()
    with pytest.raises(ValidationError):
        person_export_request(person=ParticipantUserFactory(), by=asker)
    assert not Job.objects.exists()


# --- the audit trail --------------------------------------------------------------------------------


def test_the_request_and_each_download_are_recorded_about_the_person(client, django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(person_page(person))
    job = Job.objects.get(kind=KIND)
    request = AuditEntry.objects.get(action="person.export")
    assert (request.actor_id, request.subject_id) == (coordinator.pk, person.pk)
    assert (request.target_type, request.target_id) == ("accounts.user", str(person.pk))
    for downloader in (coordinator, person):
        client.force_login(downloader)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(reverse("jobs:job_download", kwargs={"pk": job.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert f"concord-data-{person.pk}-" in response["Content-Disposition"]
    downloads = AuditEntry.objects.filter(action="job.download").order_by("pk")
    assert [(e.actor_id, e.subject_id, e.target_id) for e in downloads] == [
        (coordinator.pk, person.pk, str(job.pk)),
        (person.pk, person.pk, str(job.pk)),
    ]


def test_an_api_download_is_recorded_about_the_person(api_client, django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    job = _requested(person, person, django_capture_on_commit_callbacks)
    api_client.force_authenticate(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.get(f"/api/v1/jobs/{job.pk}/download/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="job.download")
    assert entry.subject_id == person.pk


# --- who sees the job -------------------------------------------------------------------------------


def test_who_may_follow_and_download_an_export(client, django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    coordinator = CoordinatorFactory()
    job = _requested(person, coordinator, django_capture_on_commit_callbacks)
    download = reverse("jobs:job_download", kwargs={"pk": job.pk})
    expected = {
        coordinator: 200,  # asked for it
        person: 200,  # it is about them
        CoordinatorFactory(): 200,  # may ask for it too (a second request answers this job)
        FacilitatorFactory(): 404,
        ParticipantUserFactory(): 404,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(download).status_code == status, user
    client.logout()
    assert client.get(download).status_code == 302


# --- pages ------------------------------------------------------------------------------------------


def test_the_account_page_links_to_your_data(client):
    client.force_login(ParticipantUserFactory())
    assert PAGE.encode() in client.get("/account/").content


def test_your_data_page_asks_for_an_export_and_shows_it(client, django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    client.force_login(person)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Prepare my data export" in html
    assert 'href="/privacy/"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    job = Job.objects.get(kind=KIND)
    assert job.input["person"] == person.pk
    assert job.requested_by == person
    html = client.get(PAGE).content.decode()
    assert f'id="job-{job.pk}"' in html
    assert reverse("jobs:job_download", kwargs={"pk": job.pk}) in html


def test_your_data_page_shows_an_export_a_coordinator_asked_for(client):
    person = ParticipantUserFactory()
    job = person_export_request(person=person, by=CoordinatorFactory())
    client.force_login(person)
    html = client.get(PAGE).content.decode()
    assert f'id="job-{job.pk}"' in html
    assert "by a coordinator" in html


def test_your_data_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    person = ParticipantUserFactory()
    for _ in range(3):
        Job.objects.create(
            kind=KIND,
            dedupe_key=f"old:{_}",
            input={"person": person.pk},
            scope=f"person:{person.pk}",
            requested_by=person,
            state=Job.State.SUCCEEDED,
            finished_at=timezone.now(),
        )
    client.force_login(person)
    client.get(PAGE)  # warm the session and caches
    with django_assert_max_num_queries(6):
        response = client.get(PAGE)
    assert response.content.decode().count('class="job-progress"') == 3


def test_anonymous_people_are_sent_to_sign_in(client):
    person = UserFactory()
    for url in (PAGE, person_page(person)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert client.post(url).status_code == 302
    assert not Job.objects.exists()


def test_a_coordinator_asks_on_a_persons_behalf(client, django_capture_on_commit_callbacks):
    person = ParticipantUserFactory(first_name="Ana", last_name="Popescu")
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    page = client.get(person_page(person))
    assert page.status_code == 200
    assert "Personal data of Ana Popescu" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(person_page(person)).status_code == 302
    job = Job.objects.get(kind=KIND)
    assert (job.input["person"], job.requested_by) == (person.pk, coordinator)
    assert f'id="job-{job.pk}"' in client.get(person_page(person)).content.decode()


@pytest.mark.parametrize("role", ["participant", "facilitator"])
def test_others_are_refused_a_persons_page_without_learning_whether_the_id_exists(client, role: str):
    person = ParticipantUserFactory()
    client.force_login(ParticipantUserFactory() if role == "participant" else FacilitatorFactory())
    assert client.get(person_page(person)).status_code == 403
    assert client.post(person_page(person)).status_code == 403
    assert client.get("/people/987654/data/").status_code == 403
    assert not Job.objects.exists()


def test_a_coordinator_gets_404_for_an_unknown_person(client):
    client.force_login(CoordinatorFactory())
    assert client.get("/people/987654/data/").status_code == 404


def test_the_person_is_sent_to_their_own_page(client):
    person = ParticipantUserFactory()
    client.force_login(person)
    response = client.get(person_page(person))
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_the_page_of_an_erased_person_offers_no_export(client):
    person = ParticipantUserFactory()
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    client.force_login(CoordinatorFactory())
    page = client.get(person_page(person))
    assert page.status_code == 200
    assert "Prepare their data export" not in page.content.decode()
    response = client.post(person_page(person))
    assert response.status_code == 400
    assert "nothing to export" in response.content.decode()
    assert not Job.objects.exists()


# --- API --------------------------------------------------------------------------------------------


def test_the_api_exports_yourself_by_default(api_client, django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    api_client.force_authenticate(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(API, {}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == KIND
    job = Job.objects.get(pk=body["id"])
    assert job.input["person"] == person.pk
    follow = api_client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert follow["state"] == "succeeded"
    assert follow["download_url"].endswith(f"/api/v1/jobs/{job.pk}/download/")


def test_the_api_answers_the_same_job_while_one_runs(api_client):
    person = ParticipantUserFactory()
    api_client.force_authenticate(person)
    first = api_client.post(API, {"person": person.pk}, format="json")
    second = api_client.post(API, {}, format="json")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]


def test_a_coordinator_asks_the_api_for_anyone(api_client):
    person = ParticipantUserFactory()
    coordinator = CoordinatorFactory()
    api_client.force_authenticate(coordinator)
    response = api_client.post(API, {"person": person.pk}, format="json")
    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["id"]).input["person"] == person.pk
    assert api_client.post(API, {"person": 987654}, format="json").status_code == 404
    assert api_client.post(API, {"person": "nobody"}, format="json").status_code == 400


@pytest.mark.parametrize("role", ["participant", "facilitator"])
def test_the_api_refuses_others_their_colleagues_data(api_client, role: str):
    api_client.force_authenticate(ParticipantUserFactory() if role == "participant" else FacilitatorFactory())
    assert api_client.post(API, {"person": ParticipantUserFactory().pk}, format="json").status_code == 403
    assert api_client.post(API, {"person": 987654}, format="json").status_code == 403
    assert not Job.objects.exists()


def test_the_api_refuses_strangers_and_an_erased_person(api_client):
    assert api_client.post(API, {}, format="json").status_code == 401
    person = ParticipantUserFactory()
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    api_client.force_authenticate(CoordinatorFactory())
    response = api_client.post(API, {"person": person.pk}, format="json")
    assert response.status_code == 400
    assert "erased" in json.dumps(response.json())


def test_erasing_the_person_deletes_their_exports_and_the_files(django_capture_on_commit_callbacks):
    person = ParticipantUserFactory()
    coordinator = CoordinatorFactory()
    job = _requested(person, person, django_capture_on_commit_callbacks)
    storage, name = job.result_file.storage, job.result_file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person, by=coordinator, reason="Asked to be forgotten.")

    assert not Job.objects.filter(pk=job.pk).exists()
    assert not storage.exists(name)
