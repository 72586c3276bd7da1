"""The retention sweep: it erases the people of cohorts that ended long enough ago, and nobody else; a
second run changes nothing; one failure does not stop the others."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Role
from accounts.services import user_grant_role
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from audit.models import AuditEntry
from participants.tests.factories import EnrolmentFactory
from privacy import services
from privacy.models import ErasureRecord
from privacy.tasks import retention_sweep_task
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2030, 6, 1)


def _cohort(*, ended_days_ago: int, **kwargs):  # type: ignore[no-untyped-def]
    end = TODAY - dt.timedelta(days=ended_days_ago)
    return CohortFactory(start_date=end - dt.timedelta(days=3), end_date=end, **kwargs)


@pytest.fixture
def people(settings):  # type: ignore[no-untyped-def]
    settings.CONCORD_RETENTION_COHORT_DAYS = 365
    old = _cohort(ended_days_ago=400)
    older = _cohort(ended_days_ago=800)
    recent = _cohort(ended_days_ago=100)
    held = _cohort(ended_days_ago=900, retention_hold="An inquiry asked us to keep the records.")
    due = EnrolmentFactory(cohort=old).participant.user
    due_twice = EnrolmentFactory(cohort=older).participant.user
    EnrolmentFactory(cohort=old, participant=due_twice.participant)
    also_recent = EnrolmentFactory(cohort=old).participant.user
    EnrolmentFactory(cohort=recent, participant=also_recent.participant)
    in_held = EnrolmentFactory(cohort=held).participant.user
    # A participant who later became a facilitator, and the staff of the old cohort.
    turned_staff = EnrolmentFactory(cohort=old).participant.user
    user_grant_role(user=turned_staff, role=Role.FACILITATOR)
    facilitator = FacilitatorFactory()
    old.facilitators.add(facilitator)
    coordinator = CoordinatorFactory()
    old.coordinators.add(coordinator)
    # Exactly at the cutoff is not before it.
    edge = EnrolmentFactory(cohort=_cohort(ended_days_ago=365)).participant.user
    return {
        "due": [due, due_twice],
        "kept": [also_recent, in_held, turned_staff, facilitator, coordinator, edge],
    }


def test_the_sweep_erases_only_the_people_past_the_period_and_a_second_run_changes_nothing(people):
    assert services.retention_sweep(today=TODAY) == 2
    for user in people["due"]:
        user.refresh_from_db()
        assert user.erased_at is not None
        record = ErasureRecord.objects.get(person_id=user.pk)
        assert (record.kind, record.reason, record.erased_by) == ("retention", "Retention period over", None)
    for user in people["kept"]:
        user.refresh_from_db()
        assert user.erased_at is None, user
    entries = AuditEntry.objects.filter(action="person.erase")
    assert entries.count() == 2
    assert {entry.detail["kind"] for entry in entries} == {"retention"}

    counts = (ErasureRecord.objects.count(), AuditEntry.objects.count())
    emails = sorted(u.email for u in people["due"])
    assert services.retention_sweep(today=TODAY) == 0
    assert (ErasureRecord.objects.count(), AuditEntry.objects.count()) == counts
    for user in people["due"]:
        user.refresh_from_db()
    assert sorted(u.email for u in people["due"]) == emails


def test_one_failure_does_not_stop_the_others(people, monkeypatch):
    first, second = people["due"]
    erase = services.person_erase

    def failing(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["person"].pk == first.pk:
            raise RuntimeError("the database hiccuped")
        return erase(**kwargs)

    monkeypatch.setattr(services, "person_erase", failing)
    assert services.retention_sweep(today=TODAY) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.erased_at is None
    assert second.erased_at is not None
    monkeypatch.setattr(services, "person_erase", erase)
    assert services.retention_sweep(today=TODAY) == 1  # the next day's run catches up
    first.refresh_from_db()
    assert first.erased_at is not None


def test_the_command_and_the_task_run_the_sweep(people, settings):
    out = StringIO()
    call_command("retention_sweep", "--today", TODAY.isoformat(), stdout=out)
    assert "erased 2 people" in out.getvalue()
    assert retention_sweep_task.apply().get() == 0  # today is long before TODAY: nobody more is due
    assert settings.CELERY_BEAT_SCHEDULE["privacy-retention-sweep"]["task"] == "privacy.tasks.retention_sweep_task"
