"""Roster import (preview, row errors, all or nothing, re-import) and roster export."""

import csv
import io

import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook

from accounts.models import User
from accounts.tests.factories import CoordinatorFactory, UserFactory
from core.exceptions import ApplicationError
from core.tabular import TabularError, table_write
from participants import roster, selectors, services
from participants.models import Enrolment, EnrolmentStatusChange, Participant, RosterImport
from participants.roster import PersonAction, PlaceAction
from participants.services import enrolment_create, enrolment_status_change
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,agency,position,country,preferred_language"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Participant.objects.count(),
        Enrolment.objects.count(),
        EnrolmentStatusChange.objects.count(),
    )


def _upload(cohort, content: bytes, *, filename: str = "roster.csv", waitlist_rest: bool = False, by=None):
    return services.roster_import_create(
        cohort=cohort, uploaded_by=by, filename=filename, content=content, waitlist_rest=waitlist_rest
    )


def _preview(roster_import) -> roster.RosterPreview:
    return selectors.roster_import_preview(roster_import=roster_import)


@pytest.fixture
def border_guard():
    return AgencyFactory(name="Border Guard", country="PL")


# --- the preview -------------------------------------------------------------------------------


def test_preview_says_what_each_row_does_and_writes_nothing(border_guard):
    cohort = CohortFactory(capacity=10)
    enrolled = EnrolmentFactory(cohort=cohort, participant__user__email="enrolled@example.org").participant
    moving = ParticipantFactory(user__email="moving@example.org", position="Officer", agency=border_guard)
    UserFactory(email="visitor@example.org")  # an account without a role or a participant profile
    content = _csv(
        f"Enrolled@Example.org,{enrolled.user.first_name},{enrolled.user.last_name},,,,",
        f"moving@example.org,{moving.user.first_name},,border guard,Inspector,,",
        "visitor@example.org,Vic,Visitor,,,,",
        "new@example.org,Nora,New,Border Guard (PL),Analyst,pl,Polish",
    )
    before = _counts()
    rows = _preview(_upload(cohort, content)).rows

    assert [(r.line, r.person, r.place) for r in rows] == [
        (2, PersonAction.UNCHANGED, PlaceAction.ALREADY),
        (3, PersonAction.UPDATE, PlaceAction.ENROL),
        (4, PersonAction.PROFILE, PlaceAction.ENROL),
        (5, PersonAction.NEW, PlaceAction.ENROL),
    ]
    assert rows[0].current_status == "enrolled"
    assert rows[1].changes == ["position"]
    assert rows[3].profile == {
        "first_name": "Nora",
        "last_name": "New",
        "agency": border_guard,
        "position": "Analyst",
        "country": "PL",
        "preferred_language": "pl",
    }
    assert all(row.ok for row in rows)
    assert _counts() == before
    assert RosterImport.objects.get().status == RosterImport.Status.PREVIEWED


@pytest.mark.parametrize(
    ("cells", "key", "fragment"),
    [
        ("not-an-email,Ana,,,,,", "email", "not a valid email address"),
        (",Ana,Popescu,,,,", "email", "missing"),
        ("ana@example.org,Ana,,Ministry of Magic,,,", "agency", "Unknown agency"),
        ("ana@example.org,Ana,,,,POL,", "country", "two-letter"),
        ("ana@example.org,Ana,,,,R1,", "country", "two-letter"),
        ("ana@example.org,Ana,,,,,klingon", "preferred_language", "Unknown language"),
        (f"ana@example.org,{'A' * 151},,,,,", "first_name", "longer than 150"),
        (f"ana@example.org,Ana,,,{'P' * 201},,", "position", "longer than 200"),
    ],
)
def test_each_kind_of_row_error_is_reported_and_blocks_the_import(border_guard, cells, key, fragment):
    cohort = CohortFactory(capacity=10)
    content = _csv("good@example.org,Good,Person,Border Guard,,PL,en", cells)
    roster_import = _upload(cohort, content)
    preview = _preview(roster_import)
    good, bad = preview.rows
    assert good.ok
    assert list(bad.errors) == [key]
    assert fragment in bad.errors[key][0]
    assert preview.counts()["errors"] == 1

    before = _counts()
    with pytest.raises(services.RosterImportError) as excinfo:
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert [row.line for row in excinfo.value.preview.error_rows] == [3]
    assert _counts() == before
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED


def test_a_duplicate_row_names_the_first_line(border_guard):
    content = _csv("ana@example.org,Ana,,,,,", "bob@example.org,Bob,,,,,", "ANA@example.org,Ana,,,,,")
    rows = _preview(_upload(CohortFactory(), content)).rows
    assert rows[0].ok
    assert rows[1].ok
    assert rows[2].errors == {"email": ["The same email address is already on line 2."]}


def test_an_agency_name_shared_by_two_countries_needs_its_country_code(border_guard):
    german = AgencyFactory(name="Border Guard", country="DE")
    content = _csv("a@example.org,,,border guard,,,", "b@example.org,,,Border Guard (de),,,")
    ambiguous, precise = _preview(_upload(CohortFactory(), content)).rows
    assert "Several agencies are called" in ambiguous.errors["agency"][0]
    assert "Border Guard (PL)" in ambiguous.errors["agency"][0]
    assert precise.ok
    assert precise.profile["agency"] == german


def test_rows_beyond_capacity_are_errors_unless_the_rest_may_wait():
    cohort = CohortFactory(capacity=3)
    EnrolmentFactory(cohort=cohort, status="enrolled")
    content = _csv(*(f"p{i}@example.org,P{i},,,,," for i in range(4)))

    refused = _upload(cohort, content)
    rows = _preview(refused).rows
    assert [r.place for r in rows[:2]] == [PlaceAction.ENROL, PlaceAction.ENROL]
    assert [list(r.errors) for r in rows[2:]] == [["capacity"], ["capacity"]]
    assert "2 of the cohort's 3 places are free" in rows[2].errors["capacity"][0]
    with pytest.raises(services.RosterImportError):
        services.roster_import_commit(roster_import=refused, by=None)
    assert Enrolment.objects.count() == 1

    refused = services.roster_import_options_update(roster_import=refused, waitlist_rest=True)
    assert [r.place for r in _preview(refused).rows] == ["enrol", "enrol", "waitlist", "waitlist"]
    services.roster_import_commit(roster_import=refused, by=None)
    statuses = dict(Enrolment.objects.filter(cohort=cohort).values_list("participant__user__email", "status"))
    assert statuses == {
        **{e: "enrolled" for e in statuses if not e.startswith("p")},
        "p0@example.org": "invited",
        "p1@example.org": "invited",
        "p2@example.org": "waitlisted",
        "p3@example.org": "waitlisted",
    }
    waiting = Enrolment.objects.filter(cohort=cohort, status="waitlisted").order_by("waitlisted_at", "pk")
    assert [e.participant.user.email for e in waiting] == ["p2@example.org", "p3@example.org"]
    assert Enrolment.objects.filter(cohort=cohort).holding_place().count() == cohort.capacity


def test_people_already_waiting_get_free_places_before_the_file():
    cohort = CohortFactory(capacity=2)
    waiting = EnrolmentFactory(cohort=cohort, status="enrolled")
    enrolment_status_change(enrolment=waiting, status="withdrawn", by=None)
    enrolment_status_change(enrolment=waiting, status="waitlisted", by=None)
    preview = _preview(_upload(cohort, _csv("a@example.org,,,,,,", "b@example.org,,,,,,"), waitlist_rest=True))
    assert preview.free_places == 1
    assert [r.place for r in preview.rows] == ["enrol", "waitlist"]


# --- the commit --------------------------------------------------------------------------------


def test_commit_imports_every_row_and_records_who(border_guard):
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=5)
    content = _csv("ana@example.org,Ana,Popescu,Border Guard,Inspector,ro,ro", "jan@example.org,Jan,Nowak,,,PL,pl")
    roster_import = _upload(cohort, content, by=coordinator)
    committed = services.roster_import_commit(roster_import=roster_import, by=coordinator)

    assert committed.status == RosterImport.Status.COMMITTED
    assert committed.committed_at is not None
    assert committed.summary["counts"]["new"] == 2
    ana = Participant.objects.get(user__email="ana@example.org")
    assert (ana.user.first_name, ana.agency, ana.position, ana.country, ana.user.language) == (
        "Ana",
        border_guard,
        "Inspector",
        "RO",
        "ro",
    )
    assert not ana.user.has_usable_password()
    enrolment = ana.enrolments.get()
    assert (enrolment.cohort, enrolment.status) == (cohort, "invited")
    change = enrolment.status_changes.get()
    assert (change.changed_by, change.to_status) == (coordinator, "invited")
    assert "roster.csv" in change.note


def test_one_bad_row_imports_nothing_at_all(border_guard):
    cohort = CohortFactory(capacity=5)
    existing = ParticipantFactory(user__email="known@example.org", position="Officer")
    content = _csv("new@example.org,New,,,,,", "known@example.org,,,,Chief,,", "broken@,Broken,,,,,")
    roster_import = _upload(cohort, content)
    before = _counts()
    with pytest.raises(services.RosterImportError):
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert _counts() == before
    existing.refresh_from_db()
    assert existing.position == "Officer"  # the valid update was not applied either


def test_commit_checks_again_against_the_cohort_as_it_is_now():
    cohort = CohortFactory(capacity=2)
    roster_import = _upload(cohort, _csv("a@example.org,,,,,,", "b@example.org,,,,,,"))
    assert not _preview(roster_import).has_errors
    enrolment_create(cohort=cohort, participant=ParticipantFactory(), by=None)  # a place went meanwhile
    before = _counts()
    with pytest.raises(services.RosterImportError) as excinfo:
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert [list(row.errors) for row in excinfo.value.preview.error_rows] == [["capacity"]]
    assert _counts() == before


def test_commit_sends_the_emails_only_when_it_succeeds(django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=5)
    good = _upload(cohort, _csv("a@example.org,,,,,,", "b@example.org,,,,,,"))
    bad = _upload(cohort, _csv("c@example.org,,,,,,", "nope,,,,,,"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.RosterImportError):
        services.roster_import_commit(roster_import=bad, by=None)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_commit(roster_import=good, by=None)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_large_import_publishes_to_the_broker_once(django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=30)
    roster_import = _upload(cohort, _csv(*(f"p{i}@example.org,,,,,," for i in range(25))))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert len(callbacks) == 1  # the worker fans out one email task per person
    assert len(mail.outbox) == 25


def test_an_import_is_committed_or_discarded_once():
    cohort = CohortFactory()
    committed = _upload(cohort, _csv("a@example.org,,,,,,"))
    services.roster_import_commit(roster_import=committed, by=None)
    with pytest.raises(ApplicationError, match="already imported"):
        services.roster_import_commit(roster_import=committed, by=None)
    discarded = _upload(cohort, _csv("b@example.org,,,,,,"))
    services.roster_import_discard(roster_import=discarded)
    with pytest.raises(ApplicationError, match="already discarded"):
        services.roster_import_commit(roster_import=discarded, by=None)
    assert not User.objects.filter(email="b@example.org").exists()


def test_reimporting_the_same_file_changes_nothing_and_a_corrected_one_updates_people(border_guard):
    cohort = CohortFactory(capacity=5)
    first = _csv("ana@example.org,Ana,Popescu,Border Guard,Inspector,RO,ro", "jan@example.org,Jan,Nowak,,,PL,pl")
    services.roster_import_commit(roster_import=_upload(cohort, first), by=None)
    after_first = _counts()

    again = _upload(cohort, first)
    assert [(r.person, r.place) for r in _preview(again).rows] == [("unchanged", "already")] * 2
    services.roster_import_commit(roster_import=again, by=None)
    assert _counts() == after_first

    corrected = _csv("ANA@example.org,Ana-Maria,,,Chief Inspector,,en", "jan@example.org,Jan,Nowak,,,PL,pl")
    services.roster_import_commit(roster_import=_upload(cohort, corrected), by=None)
    assert _counts() == after_first
    ana = Participant.objects.select_related("user").get(user__email="ana@example.org")
    # Given cells changed; empty cells kept what was stored.
    assert (ana.user.first_name, ana.user.last_name, ana.position, ana.user.language, ana.agency) == (
        "Ana-Maria",
        "Popescu",
        "Chief Inspector",
        "en",
        border_guard,
    )
    assert Enrolment.objects.filter(participant=ana).count() == 1


# --- files -------------------------------------------------------------------------------------


def test_semicolons_a_bom_and_xlsx_all_import(border_guard):
    cohort = CohortFactory(capacity=10)
    semicolon = (
        "\ufeff" + HEADER.replace(",", ";") + "\nlucja@example.org;Łucja;Wójcik;Border Guard;;PL;pl\n"
    ).encode()
    xlsx = _xlsx([HEADER.split(","), ["stefan@example.org", "Ștefan", "Ionescu", "", "", "RO", "ro"]])
    services.roster_import_commit(roster_import=_upload(cohort, semicolon), by=None)
    services.roster_import_commit(roster_import=_upload(cohort, xlsx, filename="roster.xlsx"), by=None)
    names = set(Participant.objects.values_list("user__first_name", flat=True))
    assert names == {"Łucja", "Ștefan"}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"first_name,last_name\nAna,Popescu\n", "Missing columns: email"),
        ("email\nżaneta@example.org\n".encode("cp1250"), "not UTF-8"),
        (b"email\n" + b"x" * 2048, "limit"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_not_kept(settings, content, fragment):
    settings.CONCORD_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(TabularError, match=fragment):
        _upload(CohortFactory(), content)
    assert RosterImport.objects.count() == 0


def test_unknown_columns_are_listed_and_ignored():
    preview = _preview(_upload(CohortFactory(), _csv("a@example.org,,,,,,,x", header=HEADER + ",shoe_size")))
    assert preview.ignored_columns == ["shoe_size"]
    assert preview.rows[0].ok


# --- export ------------------------------------------------------------------------------------


def test_export_neutralises_formulas_and_imports_back(border_guard):
    cohort = CohortFactory(capacity=5)
    EnrolmentFactory(
        cohort=cohort,
        participant__user__email="mallory@example.org",
        participant__user__first_name='=HYPERLINK("http://evil.example","x")',
        participant__user__last_name="+1",
        participant__position="@SUM(A1)",
        participant__agency=border_guard,
    )
    headers, rows = selectors.roster_export_rows(cohort=cohort)
    assert list(headers[:7]) == list(roster.COLUMNS)

    text = table_write(headers=headers, rows=rows, fmt="csv").decode("utf-8-sig")
    record = next(csv.DictReader(io.StringIO(text)))
    assert record["first_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert record["last_name"] == "'+1"
    assert record["position"] == "'@SUM(A1)"
    assert record["agency"] == "Border Guard (PL)"
    assert record["status"] == "enrolled"

    sheet = load_workbook(io.BytesIO(table_write(headers=headers, rows=rows, fmt="xlsx"))).active
    values = [cell.value for cell in sheet[2]]
    assert values[1].startswith("'=")
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, not a formula

    # The export's columns are the import's: importing it back finds everyone already there.
    exported = table_write(headers=headers, rows=[[*r[:2], "Mallory", *r[3:]] for r in rows], fmt="csv")
    preview = _preview(_upload(cohort, exported))
    assert [(r.place, r.ok) for r in preview.rows] == [("already", True)]
    assert preview.ignored_columns == ["status", "status_changed_at", "waitlisted_at"]
