"""Erasing a person who did everything (#13): their name and e-mail appear nowhere afterwards (not in any
text, character or JSON column of any model, nor in the run summary, the report data, the roster export, the
API), while every aggregate keeps its numbers under the anonymous label.

The run is the debrief's hand-made run (conduct/tests/debrief_scenario.py), so its figures are checked against
the hand-computed ones after the erasure too. The person plays in team A: they sent its messages, read the
messages to it and acknowledged its injects; observations about team A name them in their text.
"""

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_create
from accounts.tests.factories import CoordinatorFactory
from audit.models import AuditEntry
from certificates.models import Certificate, CertificateEvent
from certificates.services import certificate_render, certificate_revoke
from certificates.tests.factories import CertificateFactory, EligibilityOverrideFactory, attend
from conduct import selectors as conduct_selectors
from conduct.models import InjectDelivery, Message, MessageRecipient, Observation
from conduct.tests import debrief_scenario as scenario
from conduct.tests.debrief_scenario import at
from conduct.tests.test_debrief import _hand_made_run
from exercises.models import RunTeam
from exercises.tests.factories import TeamMembershipFactory
from participants import services as participant_services
from participants.selectors import roster_export_rows
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from privacy.models import ErasureRecord
from privacy.services import person_erase, person_scrubber
from reflections import services as reflection_services
from reflections.models import Answer, Completion, Question
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
from reports import selectors as report_selectors
from reports.tests.factories import ImprovementActionFactory
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

EMAIL = "zofiette.erasmusz@agency.example"
FIRST, LAST = "Zofiette", "Erasmusz"
PASSWORD = "concord-pass-1"
ANONYMOUS_TEXT = "The shelter answered late; the border guard was quick."
NAMED_TEXT = "I, Zofiette Erasmusz, would call the NGO sooner."
NOW = at("90:00")


def _world() -> dict[str, Any]:
    run, facilitator, names = _hand_made_run()
    cohort = run.cohort
    coordinator = CoordinatorFactory()
    teams = {team.team_role.name: team for team in RunTeam.objects.filter(run=run).select_related("team_role")}
    person = ParticipantFactory(user__email=EMAIL, user__first_name=FIRST, user__last_name=LAST)
    other = ParticipantFactory(user__email="other.person@agency.example", user__first_name="Olga")
    enrolment = EnrolmentFactory(cohort=cohort, participant=person)
    other_enrolment = EnrolmentFactory(cohort=cohort, participant=other)
    TeamMembershipFactory(run=run, team=teams["A"], enrolment=enrolment)
    TeamMembershipFactory(run=run, team=teams["B"], enrolment=other_enrolment)
    session = SessionFactory(cohort=cohort)
    attend(enrolment, session)
    attend(other_enrolment, session)
    # Team A's messages were sent by the person, messages to team A read by them, its injects acknowledged.
    Message.objects.filter(run=run, sender_team=teams["A"]).update(sent_by=person.user)
    MessageRecipient.objects.filter(message__run=run, team=teams["A"]).exclude(first_read_at=None).update(
        first_read_by=person.user
    )
    InjectDelivery.objects.filter(team=teams["A"]).exclude(acknowledged_at=None).update(acknowledged_by=person.user)
    message = Message.objects.filter(run=run, sender_team=teams["A"]).order_by("sent_at").first()
    assert message is not None
    message.body = f"Hi, {FIRST} here: six persons at the border. Reach me at {EMAIL}."
    message.save(update_fields=["body"])
    observation = Observation.objects.filter(run=run, team=teams["A"]).order_by("observed_at").first()
    assert observation is not None
    observation.text = f"{FIRST} {LAST} called the NGO at once; {LAST.upper()} kept notes."
    observation.save(update_fields=["text"])
    # Named and anonymous questionnaires, both answered by the person.
    named = AdministrationFactory(questionnaire=QuestionnaireFactory(is_anonymous=False), cohort=cohort)
    anonymous = AdministrationFactory(questionnaire=QuestionnaireFactory(is_anonymous=True), cohort=cohort)
    named_question = QuestionFactory(questionnaire=named.questionnaire, kind=Question.Kind.TEXT, order=1)
    anonymous_question = QuestionFactory(questionnaire=anonymous.questionnaire, kind=Question.Kind.TEXT, order=1)
    reflection_services.response_submit(
        administration=named, participant=person, answers={str(named_question.pk): NAMED_TEXT}
    )
    reflection_services.response_submit(
        administration=anonymous, participant=person, answers={str(anonymous_question.pk): ANONYMOUS_TEXT}
    )
    reflection_services.response_submit(
        administration=anonymous, participant=other, answers={str(anonymous_question.pk): "Fine overall."}
    )
    # A certificate with its PDF, an exception to the rules and an improvement action naming them.
    certificate = CertificateFactory(cohort=cohort, participant=person, language="en")
    certificate_render(certificate_id=certificate.pk)
    EligibilityOverrideFactory(cohort=cohort, participant=person, reason=f"{FIRST} was on duty.")
    ImprovementActionFactory(
        cohort=cohort,
        contact=person.user,
        contact_name=f"{FIRST} {LAST}",
        contact_email=EMAIL,
        action=f"Ask {LAST}, {FIRST} to share the NGO's contact list.",
    )
    # Someone else's action mentions them by e-mail only: found by the search, not through the contact.
    ImprovementActionFactory(cohort=cohort, action=f"Forward the list to {EMAIL.upper()}.")
    # A roster import that lists them.
    content = f"email,first_name,last_name,position\n{EMAIL},{FIRST},{LAST},Officer\n".encode()
    participant_services.roster_import_create(cohort=cohort, uploaded_by=coordinator, filename="r.csv", content=content)
    return {
        "run": run,
        "cohort": cohort,
        "facilitator": facilitator,
        "coordinator": coordinator,
        "names": names,
        "person": person,
        "other": other,
        "certificate": certificate,
        "anonymous": anonymous,
    }


def _text_columns(model: type[models.Model]) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField, models.EmailField)
    return [f.name for f in model._meta.get_fields() if f.concrete and isinstance(f, kinds)]


def _database_mentions(terms: list[str]) -> list[str]:
    """``app.Model.field`` for every row of any model whose text, character, JSON or binary column holds a term."""
    found = []
    for model in apps.get_models():
        manager = model._default_manager
        for field in model._meta.get_fields():
            if not field.concrete:
                continue
            if isinstance(field, models.BinaryField):
                for value in manager.exclude(**{field.name: None}).values_list(field.name, flat=True):
                    text = bytes(value).decode("utf-8", "replace").lower()
                    if any(term.lower() in text for term in terms):
                        found.append(f"{model._meta.label}.{field.name}")
                continue
        for name in _text_columns(model):
            for value in manager.exclude(**{name: None}).values_list(name, flat=True):
                text = json.dumps(value, default=str) if not isinstance(value, str) else value
                if any(term.lower() in text.lower() for term in terms):
                    found.append(f"{model._meta.label}.{name}")
    return found


def _report_json(report: Any) -> str:
    return json.dumps(dataclasses.asdict(report), default=str, sort_keys=True)


def _api(client: APIClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


API_LISTS = (
    "api:participant-list",
    "api:enrolment-list",
    "api:observation-list",
    "api:message-list",
    "api:certificate-list",
    "api:improvementaction-list",
    "api:rosterimport-list",
)


def _api_pages(coordinator: User, world: dict[str, Any]) -> str:
    client = APIClient()
    client.force_authenticate(coordinator)
    pages = [_api(client, reverse(name)) for name in API_LISTS]
    pages.append(_api(client, reverse("api:exerciserun-teams", kwargs={"pk": world["run"].pk})))
    pages.append(_api(client, reverse("api:runsummary-detail", kwargs={"pk": world["run"].pk})))
    pages.append(_api(client, reverse("api:participant-detail", kwargs={"pk": world["person"].pk})))
    return "\n".join(pages)


def test_after_erasure_the_person_is_nowhere_and_every_aggregate_keeps_its_numbers(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    world = _world()
    person, run, coordinator = world["person"], world["run"], world["coordinator"]
    user = person.user
    terms = [EMAIL, FIRST, LAST]
    scrubber = person_scrubber(user)
    token = api_token_create(user=user)[1]
    signed_in = Client()
    assert signed_in.login(email=EMAIL, password=PASSWORD)
    certificate = Certificate.objects.get(pk=world["certificate"].pk)
    assert certificate.status == Certificate.Status.READY
    pdf = Path(certificate.pdf.path)
    assert pdf.exists()

    before_summary = conduct_selectors.run_summary(run=run, user=world["facilitator"], now=NOW)
    before_report = _report_json(report_selectors.run_report(run=run, user=coordinator, now=NOW))
    before_api = _api_pages(coordinator, world)
    assert _database_mentions(terms), "the world names the person before the erasure"
    assert any(term in before_api for term in terms)
    anonymous_before = sorted(Answer.objects.filter(response__administration=world["anonymous"]).values_list("text"))
    completions = Completion.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        record = person_erase(person=user, by=coordinator, reason=f"Asked by {FIRST} {LAST} on the phone.")

    # Nowhere in the database.
    assert _database_mentions(terms) == []
    user.refresh_from_db()
    assert user.erased_at is not None
    assert not user.is_active
    assert user.get_full_name() == f"Erased person {user.pk}" == str(user)
    assert user.email.endswith("@erased.invalid")
    assert record.reason == f"Asked by Erased person {user.pk} on the phone."
    assert record.counts["conduct.Message"] == 1
    assert record.counts["conduct.Observation"] == 1
    assert record.counts["certificates.Certificate"] == 1

    # Every figure of the run summary is the hand-computed one still, and the same as before.
    after_summary = conduct_selectors.run_summary(run=run, user=world["facilitator"], now=NOW)
    scenario.assert_hand_figures(after_summary, names=world["names"])
    assert after_summary.matrix == before_summary.matrix
    assert after_summary.exchange == before_summary.exchange
    assert after_summary.injects == before_summary.injects
    assert [(g.label, g.count, g.rated, g.mean_rating) for g in after_summary.by_team] == [
        (g.label, g.count, g.rated, g.mean_rating) for g in before_summary.by_team
    ]
    assert scrubber.names(repr(before_summary))
    assert not any(term.lower() in repr(after_summary).lower() for term in terms)
    # The report's data: what was there before, with the person's name replaced by the label, nothing else.
    after_report = _report_json(report_selectors.run_report(run=run, user=coordinator, now=NOW))

    assert after_report == scrubber.scrub(before_report)
    assert not any(term.lower() in after_report.lower() for term in terms)
    # The roster export and the API.
    headers, rows = roster_export_rows(cohort=world["cohort"])
    buffer = io.StringIO()
    csv.writer(buffer).writerows([headers, *rows])
    exported = buffer.getvalue()
    assert not any(term.lower() in exported.lower() for term in terms)
    assert "@erased.invalid" not in exported
    assert f"Erased person {user.pk}" in exported
    assert len(rows) == 2  # the person keeps their row, under the label
    after_api = _api_pages(coordinator, world)
    assert not any(term.lower() in after_api.lower() for term in terms)
    assert f"Erased person {user.pk}" in after_api

    # Anonymous answers are untouched, and completions keep the response rates right.
    assert sorted(Answer.objects.filter(response__administration=world["anonymous"]).values_list("text")) == (
        anonymous_before
    )
    assert Completion.objects.count() == completions

    # The certificate: revoked as erased, its PDF gone, and the verify page and API say only that.
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revocation_kind, certificate.revocation_reason) == (
        "revoked",
        "erased",
        "erased",
    )
    assert certificate.holder_name == ""
    assert not certificate.pdf
    assert not pdf.exists()
    assert not CertificateEvent.objects.filter(certificate=certificate).exclude(holder_name="").exists()
    page = Client().get(reverse("certificates:verify", kwargs={"code": certificate.code})).content.decode()
    assert "details were erased" in page, page[page.find("<main") :][:1500]
    assert world["cohort"].course.title not in page
    verified = APIClient().get(reverse("api:certificate-verify", kwargs={"code": certificate.code})).json()
    assert verified["status"] == "erased"
    assert verified["holder_name"] is None
    assert verified["course_title"] is None

    # One audit entry, with the kind and a count only.
    entry = AuditEntry.objects.get(action="person.erase")
    assert entry.subject_id == user.pk
    assert set(entry.detail) == {"kind", "count"}
    assert entry.detail["kind"] == "request"
    assert entry.detail["count"] == sum(record.counts.values())

    # Signing in, the session and the token no longer work.
    assert not Client().login(email=EMAIL, password=PASSWORD)
    response = signed_in.get(reverse("participants:me"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api:participant-list")).status_code == 401


def test_erasure_is_refused_for_oneself_twice_and_without_a_reason():
    coordinator = CoordinatorFactory()
    person = ParticipantFactory(user__email=EMAIL).user
    with pytest.raises(Exception, match="yourself"):
        person_erase(person=coordinator, by=coordinator, reason="Test")
    with pytest.raises(Exception, match="why"):
        person_erase(person=person, by=coordinator, reason="   ")
    assert not ErasureRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="person.erase").exists()
    person.refresh_from_db()
    assert person.email == EMAIL
    assert person.erased_at is None
    person_erase(person=person, by=coordinator, reason="Asked by e-mail")
    with pytest.raises(Exception, match="erased already"):
        person_erase(person=person, by=coordinator, reason="Again")
    assert ErasureRecord.objects.count() == 1


def test_an_issuer_revoked_certificate_says_erased_after_its_holder_is(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    coordinator = CoordinatorFactory()
    certificate = CertificateFactory(participant=ParticipantFactory(user__email=EMAIL))
    certificate_revoke(certificate=certificate, by=coordinator, reason="Issued by mistake")
    person_erase(person=certificate.participant.user, by=coordinator, reason="Asked")
    certificate.refresh_from_db()
    assert (certificate.revocation_kind, certificate.revocation_reason, certificate.holder_name) == (
        "erased",
        "erased",
        "",
    )
    assert timezone.now() >= certificate.revoked_at
