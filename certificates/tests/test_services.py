import hashlib
import io
import zipfile

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import codes, services
from certificates.models import Certificate, CertificateEvent
from certificates.tests.factories import attend, enrolled, held_session, past_cohort
from core.exceptions import ApplicationError
from jobs.models import Job
from jobs.services import job_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_with_people(coordinator):
    cohort = past_cohort()
    session = held_session(cohort)
    eligible = [
        enrolled(cohort, participant__user__first_name="Ann", participant__user__last_name=f"Lee{i}") for i in range(2)
    ]
    for enrolment in eligible:
        attend(enrolment, session)
    absent = enrolled(cohort)
    return cohort, eligible, absent


def _issue(cohort, by, participants=None, capture=None):
    with capture(execute=True):
        job, _created = services.certificate_issue(cohort=cohort, participants=participants, by=by)
    job.refresh_from_db()
    return job


def test_codes_are_random_well_formed_and_read_leniently():
    drawn = {codes.new_code() for _ in range(500)}
    assert len(drawn) == 500
    assert all(codes.FORMAT.match(code) for code in drawn)
    code = next(iter(drawn))
    assert codes.normalise_code(code.lower().replace("-", " ")) == code
    assert codes.normalise_code("o000-0000-0000-000l") == "0000-0000-0000-0001"
    assert codes.normalise_code("too-short") is None
    assert codes.normalise_code("UUUU-0000-0000-0000") is None


def test_the_issue_job_issues_renders_and_emails_the_eligible(
    cohort_with_people, coordinator, django_capture_on_commit_callbacks
):
    cohort, eligible, _absent = cohort_with_people
    job = _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCEEDED
    assert job.result["ready"] == 2
    assert job.result["skipped"] == 1
    assert job.result["failed"] == 0
    certificates = list(Certificate.objects.filter(cohort=cohort))
    assert {c.participant_id for c in certificates} == {e.participant_id for e in eligible}
    for certificate in certificates:
        assert certificate.status == Certificate.Status.READY
        assert certificate.revision == 1
        assert certificate.template_version
        content = certificate.pdf.read()
        assert content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == certificate.sha256
        # The storage path names the code and revision, never the person.
        assert certificate.code in certificate.pdf.name
        assert "Lee" not in certificate.pdf.name
        assert certificate.holder_name.startswith("Ann Lee")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.participant.user.email for e in eligible)
    assert "/certificates/" in mail.outbox[0].body
    assert not mail.outbox[0].attachments


def test_running_the_job_twice_gives_the_same_rows_and_files(
    cohort_with_people, coordinator, django_capture_on_commit_callbacks
):
    cohort, _eligible, _absent = cohort_with_people
    _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    before = {c.pk: (c.code, c.pdf.name, c.sha256, c.revision) for c in Certificate.objects.all()}
    job = _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCEEDED
    # The same job run again (as after a lost worker): nothing new either.
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, finished_at=None)
    assert job_run(job_id=str(job.pk)) == Job.State.SUCCEEDED
    after = {c.pk: (c.code, c.pdf.name, c.sha256, c.revision) for c in Certificate.objects.all()}
    assert after == before
    assert len(default_storage.listdir("certificates/" + next(iter(after.values()))[1].split("/")[1])[1]) == 2
    assert len(mail.outbox) == 2  # one e-mail per certificate and revision


def test_a_long_selection_is_one_job_keyed_by_its_digest(coordinator, django_capture_on_commit_callbacks):
    """Sixty people chosen: their ids would make a key past the jobs' limit; a digest stands for them."""
    cohort = past_cohort()
    people = [enrolled(cohort).participant for _ in range(60)]
    with django_capture_on_commit_callbacks(execute=False):
        job, created = services.certificate_issue(cohort=cohort, participants=people, by=coordinator)
        again, created_again = services.certificate_issue(
            cohort=cohort, participants=list(reversed(people)), by=coordinator
        )
    assert created
    assert not created_again
    assert again.pk == job.pk
    assert len(job.dedupe_key) <= 200
    assert "sha256-" in job.dedupe_key
    assert job.input["participant_ids"] == sorted(p.pk for p in people)
    other, created_other = services.certificate_issue(cohort=cohort, participants=people[:-1], by=coordinator)
    assert created_other
    assert other.pk != job.pk


def test_the_issue_job_reads_the_cohort_once_not_per_certificate(coordinator, django_capture_on_commit_callbacks):
    """The policy, the held sessions and the objectives are read once per job, whatever its size."""
    cohort = past_cohort()
    held_session(cohort)
    services.certificate_policy_update(cohort=cohort, by=coordinator, data={"attendance": "none"})
    for _ in range(6):
        enrolled(cohort)
    with django_capture_on_commit_callbacks(execute=False):
        job, _created = services.certificate_issue(cohort=cohort, participants=None, by=coordinator)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        assert job_run(job_id=str(job.pk)) == Job.State.SUCCEEDED
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    for table, times in (
        ("certificates_certificatepolicy", 2),  # the eligibility's and the facts'
        ("trainings_session", 2),
        ("trainings_learningobjective", 1),
    ):
        assert sum(f'FROM "{table}"' in sql for sql in reads) == times, table
    # Progress is written about once a second: far fewer writes than certificates.
    assert sum(sql.startswith('UPDATE "jobs_job"') for sql in (q["sql"] for q in queries.captured_queries)) <= 4
    job.refresh_from_db()
    assert job.result["ready"] == 6
    assert job.progress_done == job.progress_total == 6


def test_issuing_for_one_person_skips_one_not_eligible(
    cohort_with_people, coordinator, django_capture_on_commit_callbacks
):
    cohort, eligible, absent = cohort_with_people
    job = _issue(cohort, coordinator, participants=[absent.participant], capture=django_capture_on_commit_callbacks)
    assert job.result["skipped"] == 1
    assert not Certificate.objects.exists()
    job = _issue(
        cohort, coordinator, participants=[eligible[0].participant], capture=django_capture_on_commit_callbacks
    )
    assert job.result["ready"] == 1
    assert Certificate.objects.get().participant == eligible[0].participant


def test_a_render_failure_is_recorded_and_the_job_goes_on(
    cohort_with_people, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    cohort, _eligible, _absent = cohort_with_people
    real = services.render_certificate
    calls = []

    def flaky(data, **kwargs):
        calls.append(data.holder_name)
        if len(calls) == 1:
            raise RuntimeError("font missing")
        return real(data, **kwargs)

    monkeypatch.setattr(services, "render_certificate", flaky)
    job = _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCEEDED
    assert (job.result["ready"], job.result["failed"]) == (1, 1)
    failed = Certificate.objects.get(status=Certificate.Status.FAILED)
    assert "font missing" in failed.error
    assert not failed.pdf
    assert failed.events.filter(kind=CertificateEvent.Kind.FAILED).exists()
    # Issuing again renders it.
    job = _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    failed.refresh_from_db()
    assert failed.status == Certificate.Status.READY


def test_revoke_and_reissue_keep_the_code_and_history(
    cohort_with_people, coordinator, django_capture_on_commit_callbacks
):
    cohort, eligible, _absent = cohort_with_people
    _issue(cohort, coordinator, participants=[eligible[0].participant], capture=django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    code, first_file, first_sha = certificate.code, certificate.pdf.name, certificate.sha256

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(certificate=certificate, by=coordinator, holder_name="  Anna   Łęcka ")
    certificate.refresh_from_db()
    assert (certificate.code, certificate.revision, certificate.holder_name) == (code, 2, "Anna Łęcka")
    assert certificate.status == Certificate.Status.READY
    assert certificate.sha256 != first_sha
    assert not default_storage.exists(first_file)
    assert default_storage.exists(certificate.pdf.name)
    assert len(mail.outbox) == 2  # revision 1 and revision 2

    with pytest.raises(ApplicationError):
        services.certificate_revoke(certificate=certificate, by=coordinator, reason="  ")
    services.certificate_revoke(certificate=certificate, by=coordinator, reason="Issued by mistake")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.code == code
    kinds = list(certificate.events.values_list("kind", flat=True))
    assert kinds == ["issued", "rendered", "emailed", "reissued", "rendered", "emailed", "revoked"]
    with pytest.raises(ApplicationError):
        services.certificate_reissue(certificate=certificate, by=coordinator, holder_name="X")
    # A revoked certificate is not rendered again by a later issue.
    _issue(cohort, coordinator, participants=[eligible[0].participant], capture=django_capture_on_commit_callbacks)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revision == 2


def test_the_email_goes_once_per_revision(cohort_with_people, coordinator, django_capture_on_commit_callbacks):
    cohort, eligible, _absent = cohort_with_people
    _issue(cohort, coordinator, participants=[eligible[0].participant], capture=django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    assert len(mail.outbox) == 1
    assert services.certificate_email(certificate_id=certificate.pk, revision=1) is False
    assert services.certificate_email(certificate_id=certificate.pk, revision=7) is False
    assert len(mail.outbox) == 1


def test_certificates_are_in_each_holders_language_english_without_one(coordinator, django_capture_on_commit_callbacks):
    cohort = past_cohort()
    session = held_session(cohort)
    for language in ("pl", "de", "bg", ""):
        attend(enrolled(cohort, participant__user__language=language), session)
    _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    assert sorted(Certificate.objects.values_list("language", flat=True)) == ["bg", "de", "en", "pl"]


def test_the_zip_holds_every_ready_certificate(
    cohort_with_people, coordinator, django_capture_on_commit_callbacks, settings
):
    cohort, _eligible, _absent = cohort_with_people
    _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        job, created = services.certificate_zip_request(cohort=cohort, by=coordinator)
    job.refresh_from_db()
    assert created
    assert job.state == Job.State.SUCCEEDED
    assert job.result == {"certificates": 2}
    assert job.expires_at is not None
    hours = (job.expires_at - job.finished_at).total_seconds() / 3600
    assert round(hours) == settings.CONCORD_CERTIFICATE_ZIP_HOURS
    with zipfile.ZipFile(io.BytesIO(job.result_file.read())) as archive:
        names = sorted(archive.namelist())
        expected = sorted(services.zip_member_name(c) for c in Certificate.objects.all())
        assert names == expected
        assert all(n.isascii() and "/" not in n for n in names)
        for certificate in Certificate.objects.all():
            data = archive.read(services.zip_member_name(certificate))
            assert hashlib.sha256(data).hexdigest() == certificate.sha256


def test_policy_reflection_must_be_the_cohorts(coordinator):
    from reflections.tests.factories import AdministrationFactory

    cohort = past_cohort()
    with pytest.raises(ApplicationError) as refused:
        services.certificate_policy_update(cohort=cohort, by=coordinator, data={"reflection": AdministrationFactory()})
    assert "reflection" in refused.value.field_errors
    own = AdministrationFactory(cohort=cohort)
    policy = services.certificate_policy_update(
        cohort=cohort, by=coordinator, data={"reflection": own, "attendance": "none"}
    )
    assert policy.reflection == own


def test_a_code_collision_draws_another_code(coordinator, monkeypatch):
    cohort = past_cohort()
    first, second = enrolled(cohort), enrolled(cohort)
    taken, _created = services.certificate_ensure(cohort=cohort, participant=first.participant, by=coordinator)
    fresh = codes.new_code()
    drawn = iter([taken.code, fresh])
    monkeypatch.setattr(services.codes, "new_code", lambda: next(drawn))
    certificate, created = services.certificate_ensure(cohort=cohort, participant=second.participant, by=coordinator)
    assert created
    assert certificate.code == fresh
    again, created = services.certificate_ensure(cohort=cohort, participant=second.participant, by=coordinator)
    assert not created
    assert again.pk == certificate.pk


def test_a_failure_after_the_file_was_written_leaves_no_file(monkeypatch):
    from certificates.tests.factories import CertificateFactory

    certificate = CertificateFactory()

    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(services, "queue_on_commit", broken)
    result = services.certificate_render(certificate_id=certificate.pk)
    assert result.status == Certificate.Status.FAILED
    assert "outbox unavailable" in result.error
    assert not default_storage.exists("certificates") or not any(
        default_storage.listdir(f"certificates/{year}")[1] for year in default_storage.listdir("certificates")[0]
    )


def test_expired_zips_are_purged(cohort_with_people, coordinator, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from jobs.services import jobs_purge_expired

    cohort, _eligible, _absent = cohort_with_people
    _issue(cohort, coordinator, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        job, _created = services.certificate_zip_request(cohort=cohort, by=coordinator)
    job.refresh_from_db()
    name = job.result_file.name
    assert default_storage.exists(name)
    assert jobs_purge_expired(now=timezone.now()) == 0
    assert jobs_purge_expired(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not default_storage.exists(name)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an ``Exception``, so no handler of ours records it as a failed render."""


def test_a_worker_killed_after_writing_a_file_leaves_no_orphan_once_the_job_runs_again(coordinator, monkeypatch):
    cohort = past_cohort()
    session = held_session(cohort)
    for _ in range(4):
        attend(enrolled(cohort), session)
    job, _created = services.certificate_issue(cohort=cohort, participants=None, by=coordinator)
    real_queue, calls = services.queue_on_commit, []

    def killed_on_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:  # the third PDF is written, its transaction not committed
            raise WorkerKilled
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(services, "queue_on_commit", killed_on_the_third)
    with pytest.raises(WorkerKilled):
        job_run(job_id=str(job.pk))
    monkeypatch.setattr(services, "queue_on_commit", real_queue)
    # Every certificate was created before the first render, so the file left behind names a code that exists.
    assert Certificate.objects.filter(cohort=cohort).count() == 4
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, lease_until=None)
    assert job_run(job_id=str(job.pk)) == Job.State.SUCCEEDED
    certificates = list(Certificate.objects.filter(cohort=cohort))
    assert {(c.status, c.revision) for c in certificates} == {(Certificate.Status.READY, 1)}
    year = certificates[0].pdf.name.split("/")[1]
    files = sorted(default_storage.listdir(f"certificates/{year}")[1])
    assert files == sorted(f"{c.code}-r1.pdf" for c in certificates)


def test_a_code_drawn_twice_in_a_batch_falls_back_to_one_at_a_time(coordinator, monkeypatch):
    cohort = past_cohort()
    session = held_session(cohort)
    people = [enrolled(cohort) for _ in range(3)]
    for enrolment in people:
        attend(enrolment, session)
    taken = services.certificate_ensure(cohort=past_cohort(), participant=enrolled(past_cohort()).participant, by=None)
    drawn = iter([taken[0].code, *(codes.new_code() for _ in range(10))])
    monkeypatch.setattr(services.codes, "new_code", lambda: next(drawn))
    from certificates.selectors import cohort_eligibility

    rows = cohort_eligibility(cohort=cohort)
    assert services.certificates_create_missing(cohort=cohort, rows=rows, by=coordinator) == 3
    assert {row.certificate.pk for row in rows} == set(
        Certificate.objects.filter(cohort=cohort).values_list("pk", flat=True)
    )
    assert CertificateEvent.objects.filter(certificate__cohort=cohort, kind=CertificateEvent.Kind.ISSUED).count() == 3
