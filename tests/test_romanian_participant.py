"""The quality bar of languages: a participant whose language is Romanian signs in (from a German
browser) and gets Romanian pages, answers a reflection in Romanian, and receives a Romanian e-mail and a
Romanian certificate.

Expected words are the catalogue's (``gettext`` under ``translation.override("ro")`` of known msgids),
not Romanian written here, so the test holds before and after ``locale/ro`` is complete. Until then
those assertions compare English with English; the ones that hold already whatever our catalogue says
are marked "catalogue-independent".
"""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from certificates import services as certificate_services
from certificates.content import certificate_dates, certificate_labels
from certificates.models import Certificate
from certificates.tests.factories import CertificatePolicyFactory, attend, enrolled, held_session, past_cohort
from reflections.models import Completion
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db

PASSWORD = "concord-pass-1"


def _ro(message: str) -> str:
    with translation.override("ro"):
        return translation.gettext(message)


def test_a_romanian_participant_signs_in_answers_and_gets_romanian_mail_and_certificate(
    settings, coordinator, django_capture_on_commit_callbacks
):
    settings.CONCORD_UI_LANGUAGES = ["en", "pl", "de", "ro", "bg"]
    cohort = past_cohort(course__title="Cooperare interinstituțională")
    session = held_session(cohort)
    questionnaire = QuestionnaireFactory(title="After the simulation", language="en")
    question = QuestionFactory(
        questionnaire=questionnaire,
        order=1,
        text="What would you do differently?",
        required=True,
        translations={"ro": {"text": "Ce ați face altfel?"}},
    )
    administration = AdministrationFactory(questionnaire=questionnaire, cohort=cohort)
    CertificatePolicyFactory(cohort=cohort, reflection=administration)
    enrolment = enrolled(
        cohort,
        participant__user__email="ioana@example.org",
        participant__user__first_name="Ioana",
        participant__user__last_name="Ștefănescu",
        participant__user__language="ro",
    )
    attend(enrolment, session)

    # Signing in from a German browser: the person's language wins.
    client = Client(headers={"accept-language": "de"})
    response = client.post(reverse("account_login"), {"login": "ioana@example.org", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert '<html lang="ro">' in page  # catalogue-independent
    assert response["Content-Language"] == "ro"  # catalogue-independent
    assert _ro("Dashboard") in page
    assert _ro("Questionnaires to answer") in page

    # Answering: the question in Romanian (the questionnaire's own translation; catalogue-independent).
    url = reverse("reflections:answer", kwargs={"pk": administration.pk})
    page = client.get(url).content.decode()
    assert '<html lang="ro">' in page
    assert "Ce ați face altfel?" in page
    assert "What would you do differently?" not in page
    client.post(url, {f"q_{question.pk}": "Aș suna mai devreme la ONG.", "language": "ro", "submit": "1"})
    assert Completion.objects.filter(administration=administration, participant=enrolment.participant).exists()

    # The certificate, now earned, and its e-mail.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_issue(cohort=cohort, participants=None, by=coordinator)
    certificate = Certificate.objects.get(participant=enrolment.participant)
    assert (certificate.status, certificate.language) == (Certificate.Status.READY, "ro")  # catalogue-independent
    [email] = mail.outbox
    assert email.to == ["ioana@example.org"]
    assert email.subject == _ro("Your certificate: %(course)s") % {"course": "Cooperare interinstituțională"}

    text = PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    assert "Ioana Ștefănescu" in text  # DejaVu draws ș/ț (catalogue-independent)
    with translation.override("ro"):
        labels = certificate_labels()
        dates = certificate_dates(cohort.start_date, cohort.end_date)
        # The month's name is Django's own Romanian (catalogue-independent): "Decembrie", not "December".
        month = formats.date_format(cohort.end_date, "E")
    for words in (labels.title, labels.awarded_to, labels.completed, labels.verify):
        assert " ".join(words.split()) in " ".join(text.split())
    assert month in text
    assert dates.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    with translation.override("en"):
        english_month = formats.date_format(cohort.end_date, "E")
    if english_month != month:  # "August" is the same in both
        assert english_month not in text
