"""Two renders or two issue runs at once for the same certificate: one row, one file (PostgreSQL, threads)."""

import pytest
from django.core.files.storage import default_storage

from certificates import services
from certificates.models import Certificate, CertificateEvent
from certificates.tests.factories import CertificateFactory, attend, enrolled, held_session, past_cohort
from core.tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def _files() -> list[str]:
    years = default_storage.listdir("certificates")[0]
    return [name for year in years for name in default_storage.listdir(f"certificates/{year}")[1]]


def test_two_renders_at_once_give_one_file(postgres):
    certificate = CertificateFactory()
    _done, refused = at_once(
        lambda: services.certificate_render(certificate_id=certificate.pk),
        lambda: services.certificate_render(certificate_id=certificate.pk),
    )
    assert not refused, refused
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    assert certificate.revision == 1
    assert _files() == [f"{certificate.code}-r1.pdf"]
    assert CertificateEvent.objects.filter(certificate=certificate, kind="rendered").count() == 1


def test_two_rerenders_of_the_same_revision_at_once_give_one_new_file(postgres):
    certificate = CertificateFactory()
    services.certificate_render(certificate_id=certificate.pk)
    _done, refused = at_once(
        lambda: services.certificate_render(certificate_id=certificate.pk, expected_revision=1),
        lambda: services.certificate_render(certificate_id=certificate.pk, expected_revision=1),
    )
    assert not refused, refused
    certificate.refresh_from_db()
    assert certificate.revision == 2
    assert _files() == [f"{certificate.code}-r2.pdf"]


def test_two_issue_runs_at_once_give_one_row_and_one_file(postgres, coordinator):
    cohort = past_cohort()
    session = held_session(cohort)
    enrolment = enrolled(cohort)
    attend(enrolment, session)

    def issue() -> str:
        certificate, _created = services.certificate_ensure(cohort=cohort, participant=enrolment.participant, by=None)
        return services.certificate_render(certificate_id=certificate.pk).status

    done, refused = at_once(issue, issue, issue)
    assert not refused, refused
    assert done == ["ready"] * 3
    certificate = Certificate.objects.get()
    assert certificate.revision == 1
    assert _files() == [f"{certificate.code}-r1.pdf"]
