"""Roster files are deleted CONCORD_ROSTER_FILE_DAYS after their upload; the imports stay, with their counts."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.exceptions import ApplicationError
from participants import services
from participants.models import Enrolment, RosterImport
from participants.tasks import roster_files_purge_task
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,agency,position,country,preferred_language,shoe_size"
ROWS = ["ana.nowak@example.org,Ana,Nowak,,,PL,pl,38", "jan.kowalski@example.org,Jan,Kowalski,,,PL,pl,44"]


def _upload(cohort, *, days_ago: int, by=None) -> RosterImport:
    content = ("\n".join([HEADER, *ROWS]) + "\n").encode()
    roster_import = services.roster_import_create(cohort=cohort, uploaded_by=by, filename="roster.csv", content=content)
    RosterImport.objects.filter(pk=roster_import.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    roster_import.refresh_from_db()
    return roster_import


@pytest.fixture
def cohort():
    return CohortFactory()


def test_old_files_go_and_recent_ones_stay(cohort, coordinator):
    old = _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS + 1, by=coordinator)
    services.roster_import_commit(roster_import=old, by=coordinator)
    recent = _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS - 1)
    counts = RosterImport.objects.get(pk=old.pk).summary["counts"]
    assert RosterImport.objects.get(pk=old.pk).summary["ignored_columns"] == ["shoe_size"]

    assert services.roster_files_purge() == 1

    old.refresh_from_db()
    assert bytes(old.content) == b""
    assert old.parsed == {}
    assert old.purged_at is not None
    # What the file said is gone; the counts and options stay for the cohort's history.
    assert old.summary == {"options": {"waitlist_rest": False, "status": "invited"}, "counts": counts}
    stored = str(old.summary)
    for word in ("Nowak", "Kowalski", "example.org", "shoe_size", str(coordinator.pk)):
        assert word not in stored
    assert (old.status, old.filename, old.cohort_id) == (RosterImport.Status.COMMITTED, "roster.csv", cohort.pk)
    # The people it imported stay enrolled: only the file goes.
    assert Enrolment.objects.filter(cohort=cohort).count() == 2

    recent.refresh_from_db()
    assert b"Nowak" in bytes(recent.content)
    assert recent.parsed
    assert recent.purged_at is None
    assert recent.summary["ignored_columns"] == ["shoe_size"]


def test_the_purge_is_idempotent_and_audited_once(cohort):
    _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS + 1)
    assert services.roster_files_purge() == 1
    first = RosterImport.objects.get()
    assert services.roster_files_purge() == 0
    assert services.roster_files_purge(now=timezone.now() + dt.timedelta(days=400)) == 0
    again = RosterImport.objects.get()
    assert again.purged_at == first.purged_at
    assert again.summary == first.summary
    entries = AuditEntry.objects.filter(action="roster_import.purge_files")
    assert [entry.detail.get("count") for entry in entries] == [1]


def test_the_setting_and_now_decide(cohort, settings):
    settings.CONCORD_ROSTER_FILE_DAYS = 5
    roster_import = _upload(cohort, days_ago=3)
    assert services.roster_files_purge() == 0
    assert services.roster_files_purge(now=roster_import.created_at + dt.timedelta(days=5, seconds=1)) == 1


def test_the_daily_task_purges(cohort):
    _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS + 1)
    assert roster_files_purge_task.apply().get() == 1
    assert roster_files_purge_task.apply().get() == 0
    schedule = settings.CELERY_BEAT_SCHEDULE["roster-files-purge"]
    assert schedule["task"] == roster_files_purge_task.name
    assert schedule["schedule"] == 86400.0


def test_a_purged_preview_cannot_be_imported_or_changed_but_can_be_discarded(cohort, coordinator):
    roster_import = _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS + 1)
    services.roster_files_purge()
    roster_import.refresh_from_db()
    with pytest.raises(ApplicationError, match="retention rules"):
        services.roster_import_commit(roster_import=roster_import, by=coordinator)
    with pytest.raises(ApplicationError, match="retention rules"):
        services.roster_import_options_update(roster_import=roster_import, waitlist_rest=True)
    assert Enrolment.objects.count() == 0
    services.roster_import_discard(roster_import=roster_import)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DISCARDED


def test_the_preview_page_of_a_purged_import_says_so(client, cohort, coordinator, settings):
    settings.CONCORD_ROSTER_FILE_DAYS = 30
    roster_import = _upload(cohort, days_ago=31)
    services.roster_files_purge()
    client.force_login(coordinator)
    url = reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was deleted under the retention rules." in page
    assert "30 days after their upload" in page
    assert "Nowak" not in page
    assert 'value="commit"' not in page
    # Importing it anyway is refused with the reason, and nothing is imported.
    response = client.post(url, {"action": "commit"}, follow=True)
    assert "retention rules" in response.content.decode()
    assert Enrolment.objects.count() == 0


def test_the_preview_page_of_a_purged_committed_import(client, cohort, coordinator):
    roster_import = _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS + 1)
    services.roster_import_commit(roster_import=roster_import, by=coordinator)
    services.roster_files_purge()
    client.force_login(coordinator)
    page = client.get(reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})).content.decode()
    assert "The file was deleted under the retention rules." in page
    assert "Imported" in page
    assert "discarded" not in page


def test_the_api_shows_a_purged_import_without_rows(api_client, cohort, coordinator):
    roster_import = _upload(cohort, days_ago=settings.CONCORD_ROSTER_FILE_DAYS + 1)
    services.roster_files_purge()
    api_client.force_authenticate(coordinator)
    response = api_client.get(f"/api/v1/roster-imports/{roster_import.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["purged_at"]
    assert data["rows"] == []
    assert data["ignored_columns"] == []
    assert data["counts"]["rows"] == 2
    response = api_client.post(f"/api/v1/roster-imports/{roster_import.pk}/commit/")
    assert response.status_code == 400
    assert "retention rules" in str(response.json())
