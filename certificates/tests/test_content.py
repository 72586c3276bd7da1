"""What a certificate says: gathered from the cohort, its policy, the person's teams; in their language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from certificates import services
from certificates.content import certificate_language
from certificates.models import Certificate
from certificates.tests.factories import CertificateFactory, CertificatePolicyFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_every_language_of_languages_is_a_certificate_language_and_others_fall_back_to_english():
    codes = ("pl", "PL", "pl-PL", "de", "ro", "bg-BG", "fr", "", None)
    assert [certificate_language(code) for code in codes] == ["pl", "pl", "pl", "de", "ro", "bg", "en", "en", "en"]


def test_the_data_names_course_dates_hours_objectives_roles_and_the_verify_url(settings):
    settings.SITE_URL = "https://concord.example.eu/"
    settings.CONCORD_CERTIFICATE_ISSUER = "Default Issuer"
    world = build_world()
    certificate = CertificateFactory(cohort=world.cohort, participant=world.participant, holder_name="Anna Nowak")
    data = services.certificate_data(certificate=Certificate.objects.get(pk=certificate.pk))
    assert data.course_title == "Inter-agency cooperation"
    assert data.issuer == "Default Issuer"
    assert data.objectives == ["Enhance international cooperation"]
    assert len(data.roles) == 1
    assert "Recognising victims" in data.roles[0]
    assert data.verify_url == f"https://concord.example.eu/certificates/verify/{certificate.code}/"
    assert data.labels.title == "Certificate of completion"
    # The world's session is in the future: no held hours; the policy's hours win when set.
    assert data.hours == "0.0"
    CertificatePolicyFactory(
        cohort=world.cohort, hours=Decimal("18.5"), issuer="Border Academy", signatory_1_name="Dr Kowalska"
    )
    data = services.certificate_data(certificate=Certificate.objects.get(pk=certificate.pk))
    assert (data.hours, data.issuer, data.signatories) == ("18.5", "Border Academy", [("Dr Kowalska", "")])


def test_a_polish_certificate_and_its_email_are_in_polish(django_capture_on_commit_callbacks):
    world = build_world()
    world.cohort.start_date, world.cohort.end_date = dt.date(2026, 5, 12), dt.date(2026, 5, 14)
    world.cohort.save()
    certificate = CertificateFactory(cohort=world.cohort, participant=world.participant, language="pl")
    data = services.certificate_data(certificate=Certificate.objects.get(pk=certificate.pk))
    assert data.labels.title == "Certyfikat ukończenia szkolenia"
    assert data.dates == "12–14 maja 2026"
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_render(certificate_id=certificate.pk)
    assert mail.outbox[0].subject == "Twój certyfikat: Inter-agency cooperation"
    assert "jest gotowy" in mail.outbox[0].body
