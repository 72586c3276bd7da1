"""The audit trail everywhere (#13): sign-ins, factors, tokens, service writes, jobs, reads, and the
coordinators' page, export, chain check and API."""

import csv
import datetime as dt
import io
import json

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ExportDelimiter, User
from accounts.tests.factories import CoordinatorFactory, ParticipantUserFactory
from audit.context import acting
from audit.models import AuditEntry
from audit.services import audit_record, audit_seal
from conduct.tests.factories import ObservationFactory
from jobs import registry
from jobs.services import job_request, job_run
from participants.models import Participant
from participants.services import participant_update
from participants.tests.factories import ParticipantFactory
from trainings.services import cohort_update
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

PASSWORD = "concord-pass-1"


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# Sign-ins, factors, tokens


def test_a_sign_in_and_a_failed_one_are_recorded_without_the_address(client):
    user = ParticipantUserFactory(email="pia@example.org")
    assert client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}).status_code == 200
    assert client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "x"}).status_code == 200
    # An address with an invisible character is refused by the form before anyone is authenticated.
    assert client.post(reverse("account_login"), {"login": "pia\u200b@example.org", "password": "x"}).status_code == 200
    failed = _entries("auth.sign_in_failed")
    assert [(e.actor_id, e.subject_id) for e in failed] == [(None, user.pk), (None, None)]
    assert all(e.detail == {} for e in failed)

    assert client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302
    [signed_in] = _entries("auth.sign_in")
    assert (signed_in.actor_id, signed_in.subject_id) == (user.pk, user.pk)
    assert signed_in.ip == "127.0.0.0/24"
    assert "example.org" not in json.dumps([e.detail for e in AuditEntry.objects.all()])


def test_a_second_factor_set_up_on_its_page_is_recorded(client, django_capture_on_commit_callbacks):
    user = ParticipantUserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # allauth asks before a factor changes
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    with django_capture_on_commit_callbacks(execute=True):  # allauth sends its signal after the commit
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    added = _entries("second_factor.add")
    assert {e.detail["kind"] for e in added} >= {"totp"}
    assert all((e.actor_id, e.subject_id) == (user.pk, user.pk) for e in added)


def test_an_api_token_issued_and_revoked_is_recorded(api_client):
    user = ParticipantUserFactory()
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    [issued] = _entries("api_token.issue")
    assert issued.subject_id == user.pk
    assert issued.target_type == "knox.authtoken"
    # The public prefix knox keeps to list tokens: never the secret rest of it.
    assert response.json()["token"].startswith(issued.target_id)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.delete(f"/api/v1/auth/tokens/{issued.target_id}/").status_code == 204
    [revoked] = _entries("api_token.revoke")
    assert (revoked.actor_id, revoked.subject_id, revoked.detail) == (user.pk, user.pk, {"count": 1})


def test_a_coordinators_second_factor_reset_keeps_only_the_reasons_length(client):
    coordinator, person = CoordinatorFactory(), CoordinatorFactory()
    client.force_login(coordinator)
    url = reverse("accounts:second_factor_reset", kwargs={"pk": person.pk})
    assert client.post(url, {"reason": "Lost phone, told Maria Lopez"}).status_code == 302
    [reset] = _entries("second_factor.reset")
    assert (reset.actor_id, reset.subject_id) == (coordinator.pk, person.pk)
    assert reset.detail == {"count": 0, "reason_length": len("Lost phone, told Maria Lopez")}


# Service writes, jobs


def test_a_service_write_names_its_fields_and_actor():
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=30)
    with acting(actor_id=coordinator.pk, ip="198.51.100.7"):
        cohort_update(cohort=cohort, data={"name": "Spring cohort", "capacity": 40})
    [entry] = _entries("cohort.update")
    assert (entry.target_type, entry.target_id) == ("trainings.cohort", str(cohort.pk))
    assert entry.actor_id == coordinator.pk
    assert entry.ip == "198.51.100.0/24"
    assert entry.detail == {"fields": ["capacity", "name"]}


def test_a_write_names_only_the_fields_it_changed():
    """A form sends every field; the entry names those whose value changed (on the target or, for a
    profile, on its person's account) and keeps a key the service handles itself (the coordinators)."""
    cohort = CohortFactory(capacity=30, name="Autumn cohort")
    cohort_update(cohort=cohort, data={"name": "Autumn cohort", "capacity": 35, "venue": cohort.venue})
    [entry] = _entries("cohort.update")
    assert entry.detail == {"fields": ["capacity"]}
    cohort_update(cohort=cohort, data={"name": "Autumn cohort", "coordinators": []})
    assert _entries("cohort.update")[-1].detail == {"fields": ["coordinators"]}
    participant = ParticipantFactory(user__first_name="Ada", position="Analyst")
    participant_update(participant=participant, data={"first_name": "Ada", "position": "Inspector"})
    [update] = _entries("participant.update")
    assert update.detail == {"fields": ["position"]}
    assert Participant.objects.get(pk=participant.pk).position == "Inspector"


def test_a_write_through_the_api_names_the_person_it_is_about(api_client):
    coordinator = CoordinatorFactory()
    participant = ParticipantFactory()
    api_client.force_authenticate(coordinator)
    response = api_client.patch(f"/api/v1/participants/{participant.pk}/", {"position": "Analyst"}, format="json")
    assert response.status_code == 200
    [entry] = _entries("participant.update")
    assert (entry.actor_id, entry.subject_id, entry.detail) == (
        coordinator.pk,
        participant.user_id,
        {"fields": ["position"]},
    )
    assert "Analyst" not in json.dumps(entry.detail)


def test_entries_written_by_a_job_name_its_requester():
    requester = CoordinatorFactory()
    cohort = CohortFactory()

    def work(job, progress):
        cohort_update(cohort=cohort, data={"capacity": 40})
        return {}

    registry.register(registry.JobKind(name="tests.audit", label="Audit", run=work))
    try:
        job, _created = job_request(kind="tests.audit", requested_by=requester, dedupe_key="audit:1")
        assert job_run(job_id=str(job.pk)) == "succeeded"
    finally:
        registry.unregister("tests.audit")
    [requested] = _entries("job.request")
    assert requested.target_id == str(job.pk)
    [written] = _entries("cohort.update")
    assert written.actor_id == requester.pk  # no request here: the job's requester acts


# Reads


def test_a_profile_read_is_recorded_after_commit(client, django_capture_on_commit_callbacks):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(reverse("participants:me")).status_code == 200
    assert not _entries("profile.view")
    for callback in callbacks:
        callback()
    [read] = _entries("profile.view")
    assert (read.actor_id, read.subject_id, read.target_id) == (
        participant.user_id,
        participant.user_id,
        str(participant.pk),
    )


def test_a_list_of_observations_is_one_entry_whatever_its_length(api_client, django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory()
    first = ObservationFactory(author=coordinator)
    api_client.force_authenticate(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.get(f"/api/v1/observations/?run={first.run_id}").status_code == 200
    ObservationFactory.create_batch(7, run=first.run, author=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.get(f"/api/v1/observations/?run={first.run_id}").status_code == 200
    lists = _entries("observation.list")
    assert [e.detail for e in lists] == [
        {"count": 1, "filters": {"run": str(first.run_id)}},
        {"count": 8, "filters": {"run": str(first.run_id)}},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.get(f"/api/v1/observations/{first.pk}/").status_code == 200
    assert len(_entries("observation.view")) == 1


# The coordinators' page, its export, the chain check, the API


def _world_of_entries() -> tuple[User, User]:
    coordinator = CoordinatorFactory(email="cora@example.org")
    person = ParticipantUserFactory(email="pia@example.org")
    old = timezone.now() - dt.timedelta(days=10)
    with acting(actor_id=coordinator.pk):
        audit_record(action="enrolment.create", target=("participants.enrolment", 5), subject_id=person.pk)
        audit_record(action="enrolment.status_change", target=("participants.enrolment", 5), subject_id=person.pk)
    # Written ten days ago (entries cannot be changed afterwards: PostgreSQL refuses it).
    AuditEntry.objects.create(
        at=old, actor_id=coordinator.pk, action="cohort.update", target_type="trainings.cohort", target_id="9"
    )
    return coordinator, person


def test_the_page_filters_by_person_object_action_and_dates(client):
    coordinator, _person = _world_of_entries()
    client.force_login(coordinator)
    url = reverse("accounts:audit_list")

    def actions(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return sorted(entry.action for entry, _actor, _subject in response.context["rows"])

    assert actions(person="pia@") == ["enrolment.create", "enrolment.status_change"]
    assert actions(person="cora@", action="cohort.") == ["cohort.update"]
    assert actions(target_type="participants.enrolment", target_id="5", action="enrolment.c") == ["enrolment.create"]
    today = timezone.localdate()
    # Signing in is recorded too: the action narrows these to the entries made above.
    assert actions(since=today.isoformat(), action="enrolment.") == ["enrolment.create", "enrolment.status_change"]
    assert actions(until=(today - dt.timedelta(days=5)).isoformat()) == ["cohort.update"]
    page = client.get(url, {"person": "pia@"})
    assert b"pia@example.org" in page.content
    assert b"cora@example.org" in page.content
    assert client.get(url, {"target_id": "5"}).status_code == 400  # an id without its type


def test_the_page_costs_the_same_queries_for_a_few_entries_and_a_full_page(client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    people = ParticipantUserFactory.create_batch(3)
    with acting(actor_id=coordinator.pk):
        audit_record(action="profile.view", subject_id=people[0].pk)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("accounts:audit_list")).status_code == 200
    with acting(actor_id=coordinator.pk):
        for i in range(120):
            audit_record(action="profile.view", subject_id=people[i % 3].pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:audit_list"), {"page": 2})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 50


def test_the_export_is_csv_in_the_persons_delimiter_and_is_itself_recorded(client, django_capture_on_commit_callbacks):
    coordinator, _person = _world_of_entries()
    User.objects.filter(pk=coordinator.pk).update(export_delimiter=ExportDelimiter.SEMICOLON)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("accounts:audit_export"), {"person": "pia@"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["id", "at", "actor_id", "actor_email", "action"]
    assert sorted(row[4] for row in rows[1:]) == ["enrolment.create", "enrolment.status_change"]
    assert {row[8] for row in rows[1:]} == {"pia@example.org"}
    [export] = _entries("audit.export")
    assert (export.actor_id, export.detail) == (coordinator.pk, {"count": 2, "filters": ["person"]})


def test_the_chain_check_page_shows_an_intact_then_a_broken_chain(client):
    coordinator, _person = _world_of_entries()
    client.force_login(coordinator)
    sealed = client.post(reverse("accounts:audit_verify"))
    assert sealed.status_code == 200
    assert sealed.context["sealed"] == 4  # with the sign-in
    assert sealed.context["report"].ok
    assert "Intact" in sealed.content.decode()
    with connection.cursor() as cursor:  # as the table's owner could: the trigger off, an edit, the trigger on
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute("UPDATE audit_auditentry SET action = %s WHERE seq = 2", ["cohort.view"])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    broken = client.get(reverse("accounts:audit_verify"))
    assert not broken.context["report"].ok
    assert "entry 2 was changed after it was written" in broken.content.decode()


def test_the_api_lists_filtered_entries_for_coordinators_only(api_client):
    coordinator, person = _world_of_entries()
    api_client.force_authenticate(person)
    assert api_client.get("/api/v1/audit/").status_code == 403
    assert api_client.get("/api/v1/audit/verify/").status_code == 403
    api_client.force_authenticate(coordinator)
    body = api_client.get("/api/v1/audit/", {"action": "enrolment."}).json()
    assert body["count"] == 2
    assert {r["subject_email"] for r in body["results"]} == {"pia@example.org"}
    assert {r["actor_email"] for r in body["results"]} == {"cora@example.org"}
    audit_seal()
    assert api_client.get("/api/v1/audit/verify/").json()["ok"] is True
    assert api_client.get("/api/v1/audit/", {"since": "not a date"}).status_code == 400


def test_no_entry_holds_the_names_or_addresses_of_the_people(
    world, client, api_client, django_capture_on_commit_callbacks
):
    """Sign-ins, writes and reads across the test world: no entry's detail names anyone."""
    people = [user for user in world.users.values() if user is not None]
    with django_capture_on_commit_callbacks(execute=True):
        for user in people:
            client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
            client.force_login(user)
            for url in (
                reverse("participants:me"),
                reverse("participants:cohort_roster", kwargs={"slug": world.cohort.slug}),
                reverse("conduct:run_console", kwargs={"pk": world.run.pk}),
                reverse("conduct:run_summary", kwargs={"pk": world.run.pk}),
                reverse("reports:run_report", kwargs={"pk": world.run.pk}),
            ):
                client.get(url)
        coordinator = world.users["coordinator"]
        api_client.force_authenticate(coordinator)
        api_client.patch(f"/api/v1/participants/{world.participant.pk}/", {"position": "Analyst"}, format="json")
        api_client.get("/api/v1/participants/")
    assert AuditEntry.objects.filter(action="roster.view").exists()
    assert AuditEntry.objects.filter(action="participant.update").exists()
    details = json.dumps([entry.detail for entry in AuditEntry.objects.all()]).lower()
    for user in people:
        assert user.email.lower() not in details
        assert f"{user.first_name} {user.last_name}".lower() not in details
        assert f'"{user.last_name.lower()}"' not in details
