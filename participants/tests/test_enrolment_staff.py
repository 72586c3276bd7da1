"""Staff are never made participants by their address: a roster row or the enrol form's email
naming a coordinator, a facilitator or a staff account is refused, and their account stays as it is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role, User
from accounts.roles import user_roles
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, UserFactory
from core.exceptions import ApplicationError
from core.tabular import table_write
from participants import selectors, services
from participants.models import Enrolment, Participant, RosterImport
from participants.tests.factories import ParticipantFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

STAFF_ROW = "This address belongs to a member of staff; enrol staff by hand."
STAFF_EMAIL = (
    "This address belongs to a member of staff; enrol staff by hand: choose their participant profile instead."
)


def _staff(kind: str) -> User:
    if kind == "coordinator":
        return CoordinatorFactory(email="staff@example.org", first_name="Maria", last_name="Lind")
    if kind == "facilitator":
        return FacilitatorFactory(email="staff@example.org", first_name="Maria", last_name="Lind")
    flags = {"is_staff": True} if kind == "staff account" else {"is_superuser": True, "is_staff": True}
    return UserFactory(email="staff@example.org", first_name="Maria", last_name="Lind", **flags)


KINDS = ["coordinator", "facilitator", "staff account", "superuser"]


def _upload(cohort, *lines: str) -> RosterImport:  # type: ignore[no-untyped-def]
    content = ("\n".join(["email,first_name,last_name,position", *lines]) + "\n").encode()
    return services.roster_import_create(cohort=cohort, uploaded_by=None, filename="r.csv", content=content)


def _unchanged(user: User) -> None:
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Maria", "Lind")
    assert not Participant.objects.filter(user=user).exists()
    assert Role.PARTICIPANT.value not in user_roles(User.objects.get(pk=user.pk))


@pytest.mark.parametrize("kind", KINDS)
def test_a_roster_row_for_staff_is_an_error_and_the_import_changes_nobody(kind):
    staff = _staff(kind)
    cohort = CohortFactory()
    roster_import = _upload(cohort, "ok@example.org,Olga,Ok,", "Staff@Example.org,Someone,Else,Trainee")
    ok, staff_row = selectors.roster_import_preview(roster_import=roster_import).rows
    assert ok.ok
    assert staff_row.errors == {"email": [STAFF_ROW]}
    with pytest.raises(services.RosterImportError) as excinfo:
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert [row.line for row in excinfo.value.preview.error_rows] == [3]
    _unchanged(staff)
    assert not Enrolment.objects.exists()


def test_staff_with_a_participant_profile_are_refused_by_the_roster_too():
    """Given a profile by hand, they are still staff: an import must not rename them."""
    staff = _staff("facilitator")
    ParticipantFactory(user=staff)
    roster_import = _upload(CohortFactory(), "staff@example.org,Someone,Else,")
    [row] = selectors.roster_import_preview(roster_import=roster_import).rows
    assert row.errors == {"email": [STAFF_ROW]}


def test_participants_are_still_renamed_by_a_reimport():
    person = ParticipantFactory(user__email="ana@example.org", user__first_name="Ana", user__last_name="Pop")
    cohort = CohortFactory()
    services.roster_import_commit(roster_import=_upload(cohort, "ana@example.org,Ana-Maria,Popescu,"), by=None)
    person.user.refresh_from_db()
    assert (person.user.first_name, person.user.last_name) == ("Ana-Maria", "Popescu")


def test_the_roster_api_shows_the_staff_row_error(api_client, coordinator):
    _staff("coordinator")
    cohort = CohortFactory()
    api_client.force_login(coordinator)
    content = b"email,first_name\nstaff@example.org,Someone\n"
    response = api_client.post(
        "/api/v1/roster-imports/",
        {"cohort": cohort.pk, "file": SimpleUploadedFile("r.csv", content, content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    [row] = response.json()["rows"]
    assert row["errors"] == {"email": [STAFF_ROW]}
    assert response.json()["has_errors"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_the_enrol_service_refuses_staff_by_email(kind):
    staff = _staff(kind)
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_create_for_person(
            cohort=CohortFactory(), by=None, email="STAFF@example.org", profile={"first_name": "Someone"}
        )
    assert excinfo.value.field_errors == {"email": [STAFF_EMAIL]}
    _unchanged(staff)
    assert not Enrolment.objects.exists()


def test_the_enrol_page_and_api_refuse_staff_by_email(client, api_client, coordinator):
    staff = _staff("facilitator")
    cohort = CohortFactory()
    client.force_login(coordinator)
    page = client.post(
        reverse("participants:enrol", kwargs={"slug": cohort.slug}),
        {"email": "staff@example.org", "first_name": "X", "status": "invited", "preferred_language": "en"},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["email"] == [STAFF_EMAIL]
    api_client.force_login(coordinator)
    response = api_client.post(
        "/api/v1/enrolments/", {"cohort": cohort.pk, "email": "staff@example.org", "last_name": "Y"}
    )
    assert response.status_code == 400
    assert response.json()["email"] == [STAFF_EMAIL]
    _unchanged(staff)
    assert not Enrolment.objects.exists()


def test_staff_given_a_profile_by_hand_are_enrolled_by_choosing_it(client, coordinator):
    staff = _staff("facilitator")
    profile = ParticipantFactory(user=staff)
    cohort = CohortFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:enrol", kwargs={"slug": cohort.slug}),
        {"participant": profile.pk, "status": "invited", "preferred_language": "en"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get().participant == profile
    staff.refresh_from_db()
    assert (staff.first_name, staff.last_name) == ("Maria", "Lind")


def test_an_export_imports_back_with_a_member_of_staff_enrolled():
    """Issue 7, item 24: the staff row of an export was refused although it changes nothing."""
    staff = _staff("facilitator")
    cohort = CohortFactory()
    services.enrolment_create(cohort=cohort, participant=ParticipantFactory(user=staff), by=None)
    services.enrolment_create(cohort=cohort, participant=ParticipantFactory(), by=None)
    headers, rows = selectors.roster_export_rows(cohort=cohort)
    exported = table_write(headers=headers, rows=rows, fmt="csv")
    upload = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="back.csv", content=exported)
    preview = selectors.roster_import_preview(roster_import=upload)
    assert [(row.ok, row.person, row.place) for row in preview.rows] == [(True, "unchanged", "already")] * 2
    services.roster_import_commit(roster_import=upload, by=None)
    staff.refresh_from_db()
    assert (staff.first_name, staff.last_name) == ("Maria", "Lind")

    # A row that would change them is still refused.
    renamed = exported.replace(b"Maria", b"Marie")
    upload = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="renamed.csv", content=renamed)
    staff_row = next(r for r in selectors.roster_import_preview(roster_import=upload).rows if r.email == staff.email)
    assert "an import does not change staff" in staff_row.errors["email"][0]
