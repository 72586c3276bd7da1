"""The personal-data export (#13) of a person who did everything: enrolled, attended, played in a team,
sent a message, was observed, answered a named and an anonymous questionnaire, holds a certificate and
has audit entries about them. The job runs (eagerly) and the ZIP is opened: each section holds their
rows with the right values, and nothing of anyone else's, nor their anonymous answer.

It lives in the project's tests because it builds every domain's data (privacy's own tests import no
domain above it).
"""

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from accounts.tests.factories import FacilitatorFactory, ParticipantUserFactory
from audit.services import audit_record
from certificates.tests.factories import CertificateFactory
from conduct.models import Message
from conduct.tests.factories import MessageFactory, ObservationFactory
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamMembershipFactory
from jobs.models import Job
from participants.models import Attendance
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from privacy.export import export_sections
from privacy.services import person_export_request
from reflections import services as reflections
from reflections.models import Answer
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

OURS = "We hold six persons with irregular documents at gate 4."
THEIRS = "Shelter has nine free beds tonight, zebra code."
ABOUT_US = "Border police shared the passenger list early."
ABOUT_THEM = "NGO team waited for the prosecutor."
NAMED = "I would call the labour inspectors sooner."
NAMED_OTHER = "Somebody else's named answer about the bus."
ANONYMOUS = "Anonymous remark: marmalade protocol."


@dataclass
class Everything:
    user: Any
    other: Any
    cohort: Any
    session: Any
    team: Any
    certificate: Any


def _everything() -> Everything:
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(name="Spring cohort", facilitators=[facilitator])
    session = SessionFactory(cohort=cohort, title="Indicators of trafficking")
    user = ParticipantUserFactory(first_name="Zofia", last_name="Kowalczyk", email="zofia.k@example.org")
    other = ParticipantUserFactory(first_name="Bogdan", last_name="Ionescu", email="bogdan.i@example.org")
    enrolment = EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(user=user, position="Inspector"))
    enrolment_other = EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(user=other))
    Attendance.objects.create(
        enrolment=enrolment, session=session, status=Attendance.Status.PRESENT, recorded_at=timezone.now()
    )
    Attendance.objects.create(
        enrolment=enrolment_other, session=session, status=Attendance.Status.ABSENT, recorded_at=timezone.now()
    )
    run = ExerciseRunFactory(cohort=cohort, session=session)
    team = RunTeamFactory(run=run, name="Border Police 1")
    team_other = RunTeamFactory(run=run, name="Shelter NGO 2")
    TeamMembershipFactory(team=team, run=run, enrolment=enrolment)
    TeamMembershipFactory(team=team_other, run=run, enrolment=enrolment_other)
    MessageFactory(run=run, sender_team=team, sent_by=user, subject="Gate 4", body=OURS)
    MessageFactory(run=run, sender_team=team_other, sent_by=other, subject="Beds", body=THEIRS)
    ObservationFactory(run=run, team=team, author=facilitator, rating=4, text=ABOUT_US)
    ObservationFactory(run=run, team=team_other, author=facilitator, rating=2, text=ABOUT_THEM)

    named = QuestionnaireFactory(title="Named debrief", is_anonymous=False)
    named_question = QuestionFactory(questionnaire=named, order=1, text="What would you change?")
    named_admin = AdministrationFactory(questionnaire=named, cohort=cohort)
    reflections.response_submit(
        administration=named_admin, participant=enrolment.participant, answers={str(named_question.pk): NAMED}
    )
    reflections.response_submit(
        administration=named_admin,
        participant=enrolment_other.participant,
        answers={str(named_question.pk): NAMED_OTHER},
    )
    anonymous = QuestionnaireFactory(title="Anonymous pulse", is_anonymous=True)
    anonymous_question = QuestionFactory(questionnaire=anonymous, order=1)
    anonymous_admin = AdministrationFactory(questionnaire=anonymous, cohort=cohort)
    reflections.response_submit(
        administration=anonymous_admin,
        participant=enrolment.participant,
        answers={str(anonymous_question.pk): ANONYMOUS},
    )
    certificate = CertificateFactory(cohort=cohort, participant=enrolment.participant)
    CertificateFactory(cohort=cohort, participant=enrolment_other.participant)
    audit_record(action="enrolment.status", target=enrolment, subject_id=user.pk)
    audit_record(action="enrolment.status", target=enrolment_other, subject_id=other.pk)
    return Everything(user=user, other=other, cohort=cohort, session=session, team=team, certificate=certificate)


def _export(person: Any, by: Any, capture: Any) -> tuple[Job, zipfile.ZipFile]:
    with capture(execute=True):
        job = person_export_request(person=person, by=by)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    with job.result_file.open("rb") as stored:
        return job, zipfile.ZipFile(io.BytesIO(stored.read()))


def _json(archive: zipfile.ZipFile, name: str) -> Any:
    return json.loads(archive.read(name).decode("utf-8"))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_of_a_person_who_did_everything(django_capture_on_commit_callbacks):
    world = _everything()
    job, archive = _export(world.user, world.user, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    assert {"index.json", "README.txt"} <= names
    assert job.result_name == f"concord-data-{world.user.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    assert job.result_content_type == "application/zip"

    account = _json(archive, "accounts_user.json")
    assert account == [
        {
            "first_name": "Zofia",
            "last_name": "Kowalczyk",
            "email": "zofia.k@example.org",
            "language": "",
            "export_delimiter": "",
            "date_joined": account[0]["date_joined"],
            "last_login": None,
            "first_login_at": None,
        }
    ]
    assert _json(archive, "participants_participant.json")[0]["position"] == "Inspector"
    assert [row["cohort__name"] for row in _json(archive, "participants_enrolment.json")] == ["Spring cohort"]
    attendance = _json(archive, "participants_attendance.json")
    assert [(row["session__title"], row["status"]) for row in attendance] == [("Indicators of trafficking", "present")]
    # ISO 8601, in JSON and CSV alike.
    starts = attendance[0]["session__starts_at"]
    assert starts == world.session.starts_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert _csv(archive, "participants_attendance.csv")[0]["session__starts_at"] == starts
    assert [row["team__name"] for row in _json(archive, "exercises_teammembership.json")] == ["Border Police 1"]
    messages = _json(archive, "conduct_message.json")
    assert [(row["sender_team__name"], row["subject"], row["body"]) for row in messages] == [
        ("Border Police 1", "Gate 4", OURS)
    ]
    about = _json(archive, "conduct_observation_team.json")
    assert [(row["team__name"], row["rating"], row["text"]) for row in about] == [("Border Police 1", 4, ABOUT_US)]
    answers = _json(archive, "reflections_answer.json")
    assert [(row["response__administration__questionnaire__title"], row["text"]) for row in answers] == [
        ("Named debrief", NAMED)
    ]
    assert [row["code"] for row in _json(archive, "certificates_certificate.json")] == [world.certificate.code]
    audit = _json(archive, "audit_auditentry.json")
    actions = [row["action"] for row in audit]
    assert "enrolment.status" in actions
    assert "person.export" in actions  # the request itself, about them

    # The CSV holds the same rows under the field lookups.
    rows = _csv(archive, "conduct_message.csv")
    assert list(rows[0]) == ["run__exercise__name", "sender_team__name", "sent_at", "subject", "body"]
    assert rows[0]["body"] == OURS

    # Each of these is in the database, and not in the export.
    assert Answer.objects.filter(text=ANONYMOUS, response__completion__isnull=True).exists()
    assert Message.objects.filter(body=THEIRS).exists()
    assert Answer.objects.filter(text=NAMED_OTHER).exists()
    everything = b"".join(archive.read(name) for name in names)
    for foreign in (THEIRS, ABOUT_THEM, NAMED_OTHER, ANONYMOUS, "bogdan.i@example.org", "Ionescu"):
        assert foreign.encode() not in everything, foreign


def test_the_index_describes_every_section_in_the_requesters_language(django_capture_on_commit_callbacks):
    world = _everything()
    world.user.language = "pl"
    world.user.save(update_fields=["language"])
    _job, archive = _export(world.user, world.user, django_capture_on_commit_callbacks)
    index = _json(archive, "index.json")
    assert index["person"] == world.user.pk
    assert index["generated_at"].endswith("Z")
    sections = {section["name"]: section for section in index["sections"]}
    assert set(sections) == {section.name for section in export_sections()}
    message = sections["conduct_message"]
    assert message["rows"] == 1
    assert message["files"] == ["conduct_message.json", "conduct_message.csv"]
    assert message["erasure"] == "anonymise"
    assert message["title"]
    assert message["purpose"]
    assert message["erasure_note"]
    # A section without rows is described, with no files.
    assert sections["reports_improvementaction"]["rows"] == 0
    assert "reports_improvementaction.json" not in archive.namelist()
    # Every file listed is in the archive.
    for section in index["sections"]:
        for name in section["files"]:
            assert name in archive.namelist()
    # Polish spreadsheets split CSV cells on semicolons (the requester's delimiter).
    header = archive.read("conduct_message.csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("run__exercise__name;sender_team__name;")


def test_a_coordinators_export_of_a_participant_holds_the_participants_data(
    django_capture_on_commit_callbacks, coordinator
):
    world = _everything()
    job, archive = _export(world.user, coordinator, django_capture_on_commit_callbacks)
    assert job.requested_by == coordinator
    assert _json(archive, "accounts_user.json")[0]["email"] == "zofia.k@example.org"
    assert coordinator.email.encode() not in archive.read("accounts_user.json")


def test_a_cell_that_looks_like_a_formula_is_neutralised_in_the_csv_only(django_capture_on_commit_callbacks):
    world = _everything()
    run = ExerciseRunFactory(cohort=world.cohort)
    MessageFactory(run=run, sender_team=RunTeamFactory(run=run), sent_by=world.user, subject="=HYPERLINK(1)", body="x")
    _job, archive = _export(world.user, world.user, django_capture_on_commit_callbacks)
    subjects_json = {row["subject"] for row in _json(archive, "conduct_message.json")}
    subjects_csv = {row["subject"] for row in _csv(archive, "conduct_message.csv")}
    assert "=HYPERLINK(1)" in subjects_json
    assert "'=HYPERLINK(1)" in subjects_csv
    assert "=HYPERLINK(1)" not in subjects_csv
