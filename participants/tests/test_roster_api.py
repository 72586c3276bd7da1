"""The roster API: import (preview, commit, discard), the cohort's people, and the export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import User
from participants.models import Enrolment, Participant, RosterImport
from participants.services import roster
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
HEADER = "email,first_name,last_name,agency,position,country,preferred_language"


def _file(*rows: str, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv")


def _upload(api_client, cohort, *rows: str, **extra):
    return api_client.post(
        f"{API}/roster-imports/", {"cohort": cohort.pk, "file": _file(*rows), **extra}, format="multipart"
    )


def test_upload_answers_the_preview_with_row_errors_and_commit_refuses_it(api_client, coordinator):
    AgencyFactory(name="Border Guard", country="PL")
    cohort = CohortFactory(capacity=5)
    api_client.force_login(coordinator)
    response = _upload(
        api_client,
        cohort,
        "ana@example.org,Ana,Popescu,Border Guard,,RO,ro",
        "bad-email,Bob,,,,,",
        "cem@example.org,Cem,,Nowhere,,,",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "previewed"
    assert body["has_errors"] is True
    assert body["counts"]["errors"] == 2
    rows = {row["line"]: row for row in body["rows"]}
    assert rows[2]["person"] == "new"
    assert rows[2]["place"] == "enrol"
    assert rows[2]["errors"] == {}
    assert list(rows[3]["errors"]) == ["email"]
    assert list(rows[4]["errors"]) == ["agency"]
    assert rows[4]["place"] is None

    users = User.objects.count()
    commit = api_client.post(f"{API}/roster-imports/{body['id']}/commit/")
    assert commit.status_code == 400
    assert "Nothing was imported" in commit.json()["non_field_errors"][0]
    assert [row["line"] for row in commit.json()["rows"] if row["errors"]] == [3, 4]
    assert User.objects.count() == users
    assert RosterImport.objects.get().status == "previewed"


def test_commit_imports_everything_and_reimport_adds_nobody(api_client, coordinator):
    cohort = CohortFactory(capacity=5)
    api_client.force_login(coordinator)
    rows = ("ana@example.org,Ana,Popescu,,,RO,ro", "jan@example.org,Jan,Nowak,,,PL,pl")
    first = _upload(api_client, cohort, *rows).json()
    committed = api_client.post(f"{API}/roster-imports/{first['id']}/commit/")
    assert committed.status_code == 200, committed.content
    assert committed.json()["status"] == "committed"
    assert committed.json()["rows"] == []  # a committed import keeps its counts, not a preview
    assert committed.json()["counts"]["new"] == 2
    assert Enrolment.objects.filter(cohort=cohort).count() == 2

    second = _upload(api_client, cohort, *rows).json()
    assert [(r["person"], r["place"]) for r in second["rows"]] == [("unchanged", "already")] * 2
    assert api_client.post(f"{API}/roster-imports/{second['id']}/commit/").status_code == 200
    assert (User.objects.count(), Participant.objects.count()) == (3, 2)  # the coordinator and two people
    assert Enrolment.objects.filter(cohort=cohort).count() == 2
    again = api_client.post(f"{API}/roster-imports/{second['id']}/commit/")
    assert again.status_code == 400
    assert "already imported" in again.json()["non_field_errors"][0]


def test_over_capacity_rows_can_be_put_on_the_waiting_list(api_client, coordinator):
    cohort = CohortFactory(capacity=1)
    api_client.force_login(coordinator)
    body = _upload(api_client, cohort, "a@example.org,,,,,,", "b@example.org,,,,,,").json()
    assert body["free_places"] == 1
    assert list(body["rows"][1]["errors"]) == ["capacity"]
    options = api_client.post(f"{API}/roster-imports/{body['id']}/options/", {"waitlist_rest": True}, format="json")
    assert options.status_code == 200
    assert options.json()["waitlist_rest"] is True
    assert [row["place"] for row in options.json()["rows"]] == ["enrol", "waitlist"]
    assert api_client.post(f"{API}/roster-imports/{body['id']}/commit/").status_code == 200
    statuses = dict(Enrolment.objects.values_list("participant__user__email", "status"))
    assert statuses == {"a@example.org": "invited", "b@example.org": "waitlisted"}


def test_discarding_keeps_nothing_and_an_unreadable_file_is_refused(api_client, coordinator):
    cohort = CohortFactory()
    api_client.force_login(coordinator)
    body = _upload(api_client, cohort, "a@example.org,,,,,,").json()
    discarded = api_client.post(f"{API}/roster-imports/{body['id']}/discard/")
    assert discarded.json()["status"] == "discarded"
    assert api_client.post(f"{API}/roster-imports/{body['id']}/commit/").status_code == 400
    assert not User.objects.filter(email="a@example.org").exists()

    bad = api_client.post(
        f"{API}/roster-imports/",
        {"cohort": cohort.pk, "file": SimpleUploadedFile("r.csv", b"name\nAna\n")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert "Missing columns: email" in bad.json()["non_field_errors"][0]
    assert RosterImport.objects.count() == 1


def test_only_coordinators_import(api_client, facilitator, coordinator):
    cohort = CohortFactory(facilitators=[facilitator])
    api_client.force_login(facilitator)
    assert _upload(api_client, cohort, "a@example.org,,,,,,").status_code == 403
    api_client.force_login(coordinator)
    body = _upload(api_client, cohort, "a@example.org,,,,,,").json()
    api_client.force_login(facilitator)
    assert api_client.get(f"{API}/roster-imports/").json()["count"] == 0
    assert api_client.post(f"{API}/roster-imports/{body['id']}/commit/").status_code == 404
    assert RosterImport.objects.get().status == "previewed"


# --- the cohort's people -------------------------------------------------------------------------


def _fill(cohort, count: int) -> None:
    agency = AgencyFactory()
    users = User.objects.bulk_create(
        [User(email=f"p{cohort.pk}-{n}@example.org", first_name=f"P{n}", last_name="Roster") for n in range(count)]
    )
    people = Participant.objects.bulk_create([Participant(user=user, agency=agency, country="PL") for user in users])
    Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant=person, status=Enrolment.Status.ENROLLED) for person in people]
    )


@pytest.mark.parametrize("role", ["coordinator", "facilitator"])
def test_the_roster_costs_the_same_queries_for_10_and_500_people(
    api_client, coordinator, facilitator, django_assert_max_num_queries, role
):
    user = {"coordinator": coordinator, "facilitator": facilitator}[role]
    api_client.force_login(user)
    counts = []
    for size in (10, 500):
        cohort = CohortFactory(capacity=600, facilitators=[facilitator])
        _fill(cohort, size)
        with CaptureQueriesContext(connection) as context:
            response = api_client.get(f"{API}/cohorts/{cohort.pk}/roster/")
        assert response.status_code == 200
        assert response.json()["count"] == size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        assert api_client.get(f"{API}/cohorts/{cohort.pk}/roster/").status_code == 200


def test_the_roster_lists_people_with_their_status(api_client, facilitator):
    cohort = CohortFactory(facilitators=[facilitator])
    ana = EnrolmentFactory(cohort=cohort, status="enrolled", participant__user__first_name="Ana")
    EnrolmentFactory(cohort=cohort, status="withdrawn")
    EnrolmentFactory()  # another cohort
    api_client.force_login(facilitator)
    rows = api_client.get(f"{API}/cohorts/{cohort.pk}/roster/").json()["results"]
    assert sorted(row["status"] for row in rows) == ["enrolled", "withdrawn"]
    entry = next(row for row in rows if row["id"] == ana.pk)
    assert entry["participant"]["first_name"] == "Ana"
    assert entry["participant"]["agency"]["id"] == ana.participant.agency_id
    only = api_client.get(f"{API}/cohorts/{cohort.pk}/roster/", {"status": "withdrawn"}).json()
    assert only["count"] == 1

    api_client.force_login(ana.participant.user)  # sees the cohort, not its people
    assert api_client.get(f"{API}/cohorts/{cohort.pk}/roster/").status_code == 404


def test_the_export_neutralises_formulas(api_client, coordinator):
    cohort = CohortFactory()
    EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(user__first_name="=1+2", position="-cmd"))
    api_client.force_login(coordinator)
    response = api_client.get(f"{API}/cohorts/{cohort.pk}/roster/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{cohort.slug}-roster.csv"' in response["Content-Disposition"]
    record = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (record["first_name"], record["position"], record["status"]) == ("'=1+2", "'-cmd", "enrolled")

    xlsx = api_client.get(f"{API}/cohorts/{cohort.pk}/roster/export/", {"file_format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=2).value == "'=1+2"
    assert api_client.get(f"{API}/cohorts/{cohort.pk}/roster/export/", {"file_format": "pdf"}).status_code == 400


def test_the_list_of_imports_costs_the_same_queries_for_1_and_20(api_client, coordinator):
    api_client.force_login(coordinator)
    cohort = CohortFactory()
    counts = []
    for total in (1, 20):
        while RosterImport.objects.count() < total:
            RosterImport.objects.create(cohort=cohort, uploaded_by=coordinator, filename="r.csv", content=b"email\n")
        with CaptureQueriesContext(connection) as context:
            response = api_client.get(f"{API}/roster-imports/", {"cohort": cohort.pk})
        assert response.json()["count"] == total
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_the_preview_lists_the_ignored_columns(api_client, coordinator):
    """Issue 7, item 22: the page and the README list them; the API did not."""
    api_client.force_login(coordinator)
    content = f"{HEADER},Shoe size,notes\na@example.org,,,,,,,42,x\n".encode()
    upload = SimpleUploadedFile("r.csv", content, content_type="text/csv")
    created = api_client.post(
        f"{API}/roster-imports/", {"cohort": CohortFactory().pk, "file": upload}, format="multipart"
    ).json()
    assert created["ignored_columns"] == ["shoe_size", "notes"]
    assert api_client.get(f"{API}/roster-imports/{created['id']}/").json()["ignored_columns"] == ["shoe_size", "notes"]
    [listed] = api_client.get(f"{API}/roster-imports/").json()["results"]
    assert listed["ignored_columns"] == ["shoe_size", "notes"]


def test_a_file_over_the_limit_is_refused_with_its_real_size(api_client, coordinator, settings):
    """Issue 7, item 11: only one byte past the limit is read, but the message says the file's real size."""
    settings.CONCORD_MAX_UPLOAD_BYTES = 1024
    api_client.force_login(coordinator)
    content = b"email\n" + b"a@example.org\n" * 3000  # about 41 KB
    upload = SimpleUploadedFile("r.csv", content, content_type="text/csv")
    response = api_client.post(
        f"{API}/roster-imports/", {"cohort": CohortFactory().pk, "file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["The file is 41.0 KB; the limit is 1.0 KB."]


def test_rows_with_long_bad_cells_are_cut_in_the_answer(api_client, coordinator):
    api_client.force_login(coordinator)
    content = f"{HEADER}\n{'x' * 20_000}@example.org,{'y' * 20_000},,,,,\n".encode()
    upload = SimpleUploadedFile("r.csv", content, content_type="text/csv")
    body = api_client.post(
        f"{API}/roster-imports/", {"cohort": CohortFactory().pk, "file": upload}, format="multipart"
    ).json()
    [row] = body["rows"]
    assert set(row["errors"]) == {"email", "first_name"}
    assert len(row["email"]) <= 254
    assert len(row["first_name"]) <= 254
    assert all(len(message) < 300 for messages in row["errors"].values() for message in messages)
    assert len(str(body)) < 5000


def test_a_stored_roster_is_parsed_once_and_its_preview_reads_the_stored_rows(api_client, coordinator, monkeypatch):
    """Hardening item 7: every GET of a preview used to parse the stored file again."""
    cohort = CohortFactory(capacity=5)
    upload = roster.roster_import_create(
        cohort=cohort,
        uploaded_by=coordinator,
        filename="r.csv",
        content=b"email;first_name;last_name\nana@example.org;Ana;Nowak\n",
    )
    assert upload.parsed["rows"][0]["values"]["email"] == "ana@example.org"

    def no_parsing(**kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the stored file was parsed again")

    monkeypatch.setattr("core.tabular.table_read", no_parsing)
    monkeypatch.setattr("participants.selectors.table_read", no_parsing)
    api_client.force_authenticate(coordinator)
    response = api_client.get(f"/api/v1/roster-imports/{upload.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["rows"][0]["email"] == "ana@example.org"
