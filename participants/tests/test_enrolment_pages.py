"""The coordinators' enrolment pages: enrol one person, import a roster, export it, change a status."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from participants.models import Enrolment, EnrolmentStatusChange, Participant, RosterImport
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

HEADER = "email;first_name;last_name;agency;position;country;preferred_language"


@pytest.fixture
def cohort(facilitator):
    return CohortFactory(capacity=3, facilitators=[facilitator])


def _url(name: str, cohort) -> str:
    return reverse(f"participants:{name}", kwargs={"slug": cohort.slug})


# --- enrol one person ----------------------------------------------------------------------------


def test_a_coordinator_enrols_a_new_person_who_is_invited(
    client, coordinator, cohort, django_capture_on_commit_callbacks
):
    agency = AgencyFactory(name="Labour Inspectorate", country="RO")
    client.force_login(coordinator)
    data = {
        "email": "ioana@example.org",
        "first_name": "Ioana",
        "last_name": "Marin",
        "agency": agency.pk,
        "position": "Inspector",
        "country": "ro",
        "preferred_language": "ro",
        "status": "invited",
        "waitlist_if_full": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("enrol", cohort), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})
    person = Participant.objects.select_related("user").get(user__email="ioana@example.org")
    assert (person.user.first_name, person.agency, person.country, person.user.language) == (
        "Ioana",
        agency,
        "RO",
        "ro",
    )
    enrolment = person.enrolments.get()
    assert (enrolment.cohort, enrolment.status, enrolment.status_changed_by) == (cohort, "invited", coordinator)
    assert [m.to for m in mail.outbox] == [["ioana@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_coordinator_enrols_someone_with_a_profile(client, coordinator, cohort):
    person = ParticipantFactory()
    already = EnrolmentFactory(cohort=cohort).participant
    client.force_login(coordinator)
    page = client.get(_url("enrol", cohort))
    choices = list(page.context["form"].fields["participant"].queryset)
    assert person in choices
    assert already not in choices  # already in the cohort
    response = client.post(
        _url("enrol", cohort), {"participant": person.pk, "status": "enrolled", "preferred_language": "en"}
    )
    assert response.status_code == 302
    assert person.enrolments.get().status == "enrolled"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, None),  # neither a profile nor an email
        ({"email": "x@example.org", "participant": "PARTICIPANT"}, None),  # both
        ({"email": "x@example.org", "country": "P1"}, "country"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_on_the_enrol_form_saves_nothing(client, coordinator, cohort, data, field):
    person = ParticipantFactory()
    data = {k: (person.pk if v == "PARTICIPANT" else v) for k, v in data.items()}
    client.force_login(coordinator)
    users = User.objects.count()
    response = client.post(_url("enrol", cohort), {"status": "invited", "preferred_language": "en", **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    assert User.objects.count() == users
    assert not Enrolment.objects.exists()


def test_a_full_cohort_refuses_or_waitlists_as_the_coordinator_chooses(client, coordinator):
    full = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=full)
    client.force_login(coordinator)
    base = {"email": "late@example.org", "status": "invited", "preferred_language": "en"}
    refused = client.post(_url("enrol", full), base)
    assert refused.status_code == 200
    assert "is full" in str(refused.context["form"].errors)
    assert not User.objects.filter(email="late@example.org").exists()  # the new person was not kept either
    response = client.post(_url("enrol", full), {**base, "waitlist_if_full": "on"}, follow=True)
    assert "waiting list" in response.content.decode()
    assert Enrolment.objects.get(participant__user__email="late@example.org").status == "waitlisted"


# --- roster import -------------------------------------------------------------------------------


def _roster(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", ("\n".join([HEADER, *rows]) + "\n").encode())


def test_upload_preview_and_import_all(client, coordinator, cohort, django_capture_on_commit_callbacks):
    AgencyFactory(name="Border Guard", country="PL")
    client.force_login(coordinator)
    response = client.post(
        _url("roster_import", cohort),
        {
            "file": _roster("ana@example.org;Ana;Nowak;Border Guard;;PL;pl", "jan@example.org;Jan;;;;;"),
            "status": "invited",
        },
    )
    roster_import = RosterImport.objects.get()
    assert response["Location"] == reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "ana@example.org" in html
    assert "New person" in html
    assert preview.context["counts"]["new"] == 2
    assert not Participant.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], {"action": "commit"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})
    assert "Imported 2 rows" in done.content.decode()
    assert Enrolment.objects.filter(cohort=cohort).count() == 2
    assert len(mail.outbox) == 2
    roster_import.refresh_from_db()
    assert roster_import.status == "committed"


def test_a_preview_with_problems_cannot_be_imported_and_can_be_discarded(client, coordinator, cohort):
    client.force_login(coordinator)
    client.post(
        _url("roster_import", cohort), {"file": _roster("ok@example.org;;;;;;", "broken;;;;;;"), "status": "invited"}
    )
    url = reverse("participants:roster_preview", kwargs={"pk": RosterImport.objects.get().pk})
    page = client.get(url, {"problems": "1"})
    assert [row.line for row in page.context["rows"]] == [3]
    assert "not a valid email address" in page.content.decode()

    refused = client.post(url, {"action": "commit"})
    assert refused.status_code == 200
    assert "Nothing was imported" in refused.content.decode()
    assert not Participant.objects.exists()

    client.post(url, {"action": "discard"})
    assert RosterImport.objects.get().status == "discarded"
    assert "discarded" in client.get(url).content.decode()


def test_over_capacity_can_be_switched_to_the_waiting_list_from_the_preview(client, coordinator):
    cohort = CohortFactory(capacity=1)
    client.force_login(coordinator)
    client.post(
        _url("roster_import", cohort),
        {"file": _roster("a@example.org;;;;;;", "b@example.org;;;;;;"), "status": "invited"},
    )
    url = reverse("participants:roster_preview", kwargs={"pk": RosterImport.objects.get().pk})
    assert client.get(url).context["preview"].has_capacity_errors
    client.post(url, {"action": "waitlist_rest"})
    preview = client.get(url).context["preview"]
    assert not preview.has_errors
    assert [row.place for row in preview.rows] == ["enrol", "waitlist"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("email\nżaneta@example.org\n".encode("cp1250"), "not UTF-8"),
        (b"name\nAna\n", "Missing columns"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_form(client, coordinator, cohort, content, fragment):
    client.force_login(coordinator)
    response = client.post(
        _url("roster_import", cohort), {"file": SimpleUploadedFile("r.csv", content), "status": "invited"}
    )
    assert response.status_code == 200
    assert fragment in str(response.context["form"].errors["file"])
    assert not RosterImport.objects.exists()


def test_the_roster_page_offers_the_coordinators_actions_only_to_them(client, coordinator, facilitator, cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    roster_url = reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})
    status_url = reverse("participants:enrolment_status", kwargs={"pk": enrolment.pk})
    client.force_login(coordinator)
    html = client.get(roster_url).content.decode()
    assert _url("enrol", cohort) in html
    assert _url("roster_import", cohort) in html
    assert status_url in html
    client.force_login(facilitator)
    html = client.get(roster_url).content.decode()
    assert _url("enrol", cohort) not in html
    assert status_url not in html
    assert _url("roster_export", cohort) in html  # the cohort's staff may take the list away


def test_the_export_page_gives_csv_and_xlsx(client, facilitator, cohort):
    EnrolmentFactory(cohort=cohort, participant__user__first_name="@evil")
    client.force_login(facilitator)
    response = client.get(_url("roster_export", cohort))
    record = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert record["first_name"] == "'@evil"
    xlsx = client.get(_url("roster_export", cohort), {"format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('-roster.xlsx"')
    assert client.get(_url("roster_export", cohort), {"format": "ods"}).status_code == 400


# --- status ----------------------------------------------------------------------------------------


def test_a_coordinator_changes_a_status_with_a_note_and_sees_the_history(client, coordinator):
    enrolment = EnrolmentFactory(status="invited")
    url = reverse("participants:enrolment_status", kwargs={"pk": enrolment.pk})
    client.force_login(coordinator)
    page = client.get(url)
    offered = [value for value, _label in page.context["form"].fields["status"].choices]
    assert offered == ["enrolled", "waitlisted", "withdrawn"]
    client.post(url, {"status": "enrolled", "note": "Confirmed by phone"})
    client.post(url, {"status": "completed", "note": "Finished"})
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    history = client.get(url).context["history"]
    assert [(c.to_status, c.note, c.changed_by) for c in history] == [
        ("enrolled", "Confirmed by phone", coordinator),
        ("completed", "Finished", coordinator),
    ]
    # Completed never goes back to invited: it is not offered, and refused if posted.
    response = client.post(url, {"status": "invited"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert EnrolmentStatusChange.objects.filter(enrolment=enrolment).count() == 2


def test_the_invitation_can_be_sent_again_from_the_status_page(client, coordinator, django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory(status="invited")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participants:enrolment_status", kwargs={"pk": enrolment.pk}), {"action": "resend"})
    assert [m.to for m in mail.outbox] == [[enrolment.participant.user.email]]


def test_facilitators_and_participants_cannot_change_statuses(client, facilitator, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, status="enrolled")
    url = reverse("participants:enrolment_status", kwargs={"pk": enrolment.pk})
    for user in (facilitator, enrolment.participant.user):
        client.force_login(user)
        assert client.post(url, {"status": "withdrawn"}).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_a_file_over_the_limit_is_refused_on_the_form_with_its_real_size(client, coordinator, cohort, settings):
    """Issue 7, item 11: “The file is 5120 KB; the limit is 5120 KB” was shown whatever the real size."""
    settings.CONCORD_MAX_UPLOAD_BYTES = 1024
    client.force_login(coordinator)
    content = b"email\n" + b"a@example.org\n" * 3000  # about 41 KB
    response = client.post(
        _url("roster_import", cohort), {"file": SimpleUploadedFile("r.csv", content), "status": "invited"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is 41.0 KB; the limit is 1.0 KB."]
    assert not RosterImport.objects.exists()
