"""Erasing a person deletes the stored files that may name them: the debrief and cohort reports of the runs
and cohorts they were in, and their cohorts' certificate ZIPs. Other runs' and cohorts' files stay."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory
from exercises.tests.factories import TeamMembershipFactory
from jobs.models import Job
from privacy.services import person_erase
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _job(kind: str, scope: str, requested_by) -> Job:
    job = Job.objects.create(
        kind=kind,
        dedupe_key=f"{kind}:{scope}",
        scope=scope,
        requested_by=requested_by,
        state=Job.State.SUCCEEDED,
        finished_at=timezone.now(),
    )
    job.result_file.save(f"{kind}.bin", ContentFile(b"%PDF-1.4 Zofia Nowicka"), save=True)
    return job


def test_the_files_that_may_name_the_person_are_deleted_and_the_others_stay(django_capture_on_commit_callbacks):
    membership = TeamMembershipFactory()
    person = membership.enrolment.participant.user
    run, cohort = membership.run, membership.enrolment.cohort
    coordinator = CoordinatorFactory()
    other_cohort = CohortFactory()
    naming = [
        _job("reports.run", f"run:{run.pk}", coordinator),
        _job("reports.cohort", f"cohort:{cohort.pk}", coordinator),
        _job("certificates.zip", f"cohort:{cohort.pk}", coordinator),
    ]
    other = _job("reports.cohort", f"cohort:{other_cohort.pk}", coordinator)
    stored = [(job.result_file.storage, job.result_file.name) for job in naming]

    with django_capture_on_commit_callbacks(execute=True):
        record = person_erase(person=person, by=coordinator, reason="Asked to be forgotten.")

    for job in naming:
        job.refresh_from_db()
        assert job.result_file.name == ""
    assert not any(storage.exists(name) for storage, name in stored)
    other.refresh_from_db()
    assert other.result_file.storage.exists(other.result_file.name)
    assert record.counts["jobs.Job"] == 3
