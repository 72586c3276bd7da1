import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts.models import Role, User
from accounts.roles import is_participant
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, UserFactory
from core.exceptions import ApplicationError
from participants import selectors, services
from participants.models import Enrolment, EnrolmentStatusChange, Participant
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.services import cohort_update
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db


# --- participants ----------------------------------------------------------------------------


def test_participant_create_makes_a_user_with_the_participant_role():
    agency = AgencyFactory()
    participant = services.participant_create(
        email=" Ana.Popescu@Example.org ",
        first_name="Ana",
        last_name="Popescu",
        agency=agency,
        country="ro",
        preferred_language="ro",
    )
    user = participant.user
    assert user.email == "ana.popescu@example.org"
    assert not user.has_usable_password()
    assert is_participant(user)
    assert (participant.agency, participant.country, user.language) == (agency, "RO", "ro")


def test_participant_create_reuses_an_existing_account_and_names_it_as_a_roster_row_would():
    visitor = UserFactory(email="visitor@example.org", first_name="Vic", last_name="Old")
    participant = services.participant_create(email="VISITOR@example.org", last_name="New")
    assert participant.user == visitor
    assert User.objects.count() == 1
    visitor.refresh_from_db()
    assert (visitor.first_name, visitor.last_name) == ("Vic", "New")  # an empty name keeps what is stored
    assert set(visitor.groups.values_list("name", flat=True)) == {Role.PARTICIPANT}


@pytest.mark.parametrize("kind", ["facilitator", "coordinator", "staff account", "superuser"])
def test_participant_create_refuses_staff_and_leaves_them_as_they_are(kind):
    """Issue 7, item 2: POST /participants/ renamed a member of staff and made them a participant."""
    staff = {
        "facilitator": lambda: FacilitatorFactory(email="trainer@example.org", first_name="Maria"),
        "coordinator": lambda: CoordinatorFactory(email="trainer@example.org", first_name="Maria"),
        "staff account": lambda: UserFactory(email="trainer@example.org", first_name="Maria", is_staff=True),
        "superuser": lambda: UserFactory(
            email="trainer@example.org", first_name="Maria", is_staff=True, is_superuser=True
        ),
    }[kind]()
    with pytest.raises(ApplicationError) as excinfo:
        services.participant_create(email="TRAINER@example.org", first_name="Renamed")
    assert "member of staff" in excinfo.value.field_errors["email"][0]
    staff.refresh_from_db()
    assert staff.first_name == "Maria"
    assert not Participant.objects.filter(user=staff).exists()
    assert Role.PARTICIPANT not in set(staff.groups.values_list("name", flat=True))


def test_participant_create_refuses_a_second_profile():
    existing = ParticipantFactory()
    with pytest.raises(ApplicationError) as excinfo:
        services.participant_create(email=existing.user.email)
    assert "email" in excinfo.value.field_errors
    assert Participant.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "new@example.org", "country": "POL"}, "country"),
        ({"email": "new@example.org", "preferred_language": "xx"}, "preferred_language"),
    ],
)
def test_participant_create_bad_input_saves_nothing(kwargs, field):
    users, groups = User.objects.count(), Group.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.participant_create(**kwargs)
    assert field in excinfo.value.message_dict
    assert (User.objects.count(), Group.objects.count(), Participant.objects.count()) == (users, groups, 0)


def test_participant_update_writes_names_to_the_user():
    participant = ParticipantFactory(position="Officer")
    services.participant_update(
        participant=participant, data={"first_name": "Zofia", "position": "Inspector", "country": "de"}
    )
    participant.refresh_from_db()
    participant.user.refresh_from_db()
    assert (participant.user.first_name, participant.position, participant.country) == ("Zofia", "Inspector", "DE")


def test_cohort_capacity_cannot_drop_below_places_taken():
    cohort = CohortFactory(capacity=5)
    EnrolmentFactory.create_batch(3, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status="withdrawn")  # holds no place
    with pytest.raises(ValidationError) as excinfo:
        cohort_update(cohort=cohort, data={"capacity": 2})
    assert "3 places are already taken" in excinfo.value.message_dict["capacity"][0]
    cohort.refresh_from_db()
    assert cohort.capacity == 5
    cohort_update(cohort=cohort, data={"capacity": 3})
    cohort.refresh_from_db()
    assert cohort.capacity == 3


# --- enrolments ------------------------------------------------------------------------------


def test_enrolment_create_records_the_first_status():
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=2)
    enrolment = services.enrolment_create(cohort=cohort, participant=ParticipantFactory(), by=coordinator)
    assert enrolment.status == Enrolment.Status.INVITED
    change = enrolment.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "invited", coordinator)
    assert change.changed_at == enrolment.status_changed_at


def test_enrolment_beyond_capacity_is_refused_and_saves_nothing():
    cohort = CohortFactory(capacity=2)
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.ENROLLED)
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.INVITED)
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN)  # frees its place
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_create(cohort=cohort, participant=ParticipantFactory(), by=None)
    assert "is full: all 2 places are taken" in excinfo.value.field_errors["cohort"][0]
    assert Enrolment.objects.count() == 3
    assert EnrolmentStatusChange.objects.count() == 0
    assert selectors.cohort_places_taken(cohort=cohort) == 2


def test_enrolment_twice_in_a_cohort_is_refused():
    enrolment = EnrolmentFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.enrolment_create(cohort=enrolment.cohort, participant=enrolment.participant, by=None)
    assert "already enrolled" in str(excinfo.value)
    assert Enrolment.objects.count() == 1


def test_enrolment_create_only_invites_or_enrols():
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_create(
            cohort=CohortFactory(), participant=ParticipantFactory(), by=None, status=Enrolment.Status.COMPLETED
        )
    assert "status" in excinfo.value.field_errors
    assert Enrolment.objects.count() == 0


def test_status_changes_build_a_history_of_who_and_when():
    coordinator, other = CoordinatorFactory(), CoordinatorFactory()
    enrolment = services.enrolment_create(cohort=CohortFactory(), participant=ParticipantFactory(), by=coordinator)
    services.enrolment_status_change(enrolment=enrolment, status="enrolled", by=coordinator)
    services.enrolment_status_change(enrolment=enrolment, status="withdrawn", by=other, note="Sick leave")

    history = list(enrolment.status_changes.values_list("from_status", "to_status", "changed_by", "note"))
    assert history == [
        ("", "invited", coordinator.pk, ""),
        ("invited", "enrolled", coordinator.pk, ""),
        ("enrolled", "withdrawn", other.pk, "Sick leave"),
    ]
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_changed_by) == ("withdrawn", other)
    times = list(enrolment.status_changes.values_list("changed_at", flat=True))
    assert times == sorted(times)
    assert enrolment.status_changed_at == times[-1]


def test_status_change_to_the_same_status_is_refused():
    enrolment = EnrolmentFactory(status="enrolled")
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_status_change(enrolment=enrolment, status="enrolled", by=None)
    assert "status" in excinfo.value.field_errors
    assert EnrolmentStatusChange.objects.count() == 0


def test_coming_back_from_withdrawn_needs_a_free_place():
    cohort = CohortFactory(capacity=1)
    withdrawn = EnrolmentFactory(cohort=cohort, status="withdrawn")
    EnrolmentFactory(cohort=cohort, status="enrolled")
    with pytest.raises(ApplicationError):
        services.enrolment_status_change(enrolment=withdrawn, status="enrolled", by=None)
    withdrawn.refresh_from_db()
    assert withdrawn.status == "withdrawn"
    assert EnrolmentStatusChange.objects.count() == 0


def test_moving_between_place_statuses_needs_no_free_place():
    cohort = CohortFactory(capacity=1)
    enrolment = EnrolmentFactory(cohort=cohort, status="invited")
    services.enrolment_status_change(enrolment=enrolment, status="enrolled", by=None)
    services.enrolment_status_change(enrolment=enrolment, status="completed", by=None)
    assert enrolment.status == "completed"


def test_waitlisting_stamps_the_time():
    enrolment = EnrolmentFactory(status="invited")
    services.enrolment_status_change(enrolment=enrolment, status="waitlisted", by=None)
    enrolment.refresh_from_db()
    assert enrolment.waitlisted_at == enrolment.status_changed_at


def test_unknown_status_is_refused():
    enrolment = EnrolmentFactory()
    with pytest.raises(ApplicationError):
        services.enrolment_status_change(enrolment=enrolment, status="expelled", by=None)
