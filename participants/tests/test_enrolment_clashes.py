"""A person cannot come to be expected in two places at once: enrolling, a status change, the
waiting list and the roster import all refuse someone whose other cohort meets at the same time."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory
from core.exceptions import ApplicationError
from participants import selectors, services
from participants.conflicts import participant_session_clashes, participants_session_clashes
from participants.models import Enrolment, EnrolmentStatusChange, RosterImport
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
CLASH = "Already attending Cohort B at the same time: “Interviews” 14 May 2030 09:00–10:30 (Europe/Warsaw)."


def _at(hour: int, minute: int = 0, day: int = 14) -> dt.datetime:
    return dt.datetime(2030, 5, day, hour, minute, tzinfo=WARSAW)


def _cohort(name: str, *, time_zone: str = "Europe/Warsaw", capacity: int = 10) -> Cohort:
    return CohortFactory(
        name=name,
        time_zone=time_zone,
        capacity=capacity,
        start_date=dt.date(2030, 5, 13),
        end_date=dt.date(2030, 5, 17),
    )


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """Cohort A meets 10:00–12:00 on 14 May; Cohort B (another time zone) 09:00–10:30; Jan attends B."""
    mine, theirs = _cohort("Cohort A"), _cohort("Cohort B", time_zone="Europe/Sofia")
    ours = SessionFactory(cohort=mine, title="Simulation", starts_at=_at(10), ends_at=_at(12), room="")
    other = SessionFactory(cohort=theirs, title="Interviews", starts_at=_at(9), ends_at=_at(10, 30), room="")
    jan = ParticipantFactory(user__first_name="Jan", user__last_name="Kowalski", user__email="jan@example.org")
    EnrolmentFactory(cohort=theirs, participant=jan, status=Enrolment.Status.INVITED)
    return mine, theirs, jan, ours, other


def _waiting(cohort: Cohort, participant, minutes_ago: int) -> Enrolment:  # type: ignore[no-untyped-def]
    return EnrolmentFactory(
        cohort=cohort,
        participant=participant,
        status=Enrolment.Status.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


# --- the one query ------------------------------------------------------------------------------


def test_the_clash_names_the_other_cohorts_session(world):
    mine, _theirs, jan, _ours, other = world
    assert participant_session_clashes(participant=jan, cohort=mine) == [other]
    assert participant_session_clashes(participant=ParticipantFactory(), cohort=mine) == []


@pytest.mark.parametrize(
    "change",
    [
        "their enrolment waits",
        "their enrolment was withdrawn",
        "their enrolment is completed",
        "their session is cancelled",
        "our session is cancelled",
        "our session starts when theirs ends",
    ],
)
def test_people_not_expected_at_the_same_time_are_free(world, change):
    mine, theirs, jan, ours, other = world
    statuses = {
        "their enrolment waits": Enrolment.Status.WAITLISTED,
        "their enrolment was withdrawn": Enrolment.Status.WITHDRAWN,
        "their enrolment is completed": Enrolment.Status.COMPLETED,
    }
    if change in statuses:
        Enrolment.objects.filter(cohort=theirs).update(status=statuses[change], waitlisted_at=timezone.now())
    elif change == "their session is cancelled":
        Session.objects.filter(pk=other.pk).update(status=Session.Status.CANCELLED)
    elif change == "our session is cancelled":
        Session.objects.filter(pk=ours.pk).update(status=Session.Status.CANCELLED)
    else:
        Session.objects.filter(pk=ours.pk).update(starts_at=_at(10, 30))
    assert participant_session_clashes(participant=jan, cohort=mine) == []
    assert services.enrolment_create(cohort=mine, participant=jan, by=None).status == Enrolment.Status.INVITED


def test_many_people_cost_two_queries(world, django_assert_num_queries):
    mine, theirs, jan, _ours, other = world
    people = [jan]
    for _n in range(20):
        person = ParticipantFactory()
        EnrolmentFactory(cohort=theirs, participant=person)
        people.append(person)
    free = ParticipantFactory()
    with django_assert_num_queries(2):
        clashes = participants_session_clashes(cohort=mine, participants=[p.pk for p in [*people, free]])
    assert clashes == {person.pk: [other] for person in people}


# --- enrolling and status changes -----------------------------------------------------------------


def test_enrolling_someone_expected_elsewhere_is_refused_and_saves_nothing(world, django_capture_on_commit_callbacks):
    mine, _theirs, jan, _ours, _other = world
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError) as excinfo:
        services.enrolment_create(cohort=mine, participant=jan, by=CoordinatorFactory())
    assert excinfo.value.message == "Jan Kowalski cannot attend Cohort A: they are expected elsewhere at the same time."
    assert excinfo.value.field_errors == {"schedule": [CLASH]}
    assert not Enrolment.objects.filter(cohort=mine).exists()
    assert mail.outbox == []


def test_by_email_too(world):
    mine, *_ = world
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_create_for_person(cohort=mine, by=None, email="JAN@example.org")
    assert excinfo.value.field_errors == {"schedule": [CLASH]}
    assert not Enrolment.objects.filter(cohort=mine).exists()


def test_a_full_cohort_may_still_put_them_on_the_waiting_list(world):
    mine, _theirs, jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=1)
    EnrolmentFactory(cohort=mine)
    mine.refresh_from_db()
    enrolment = services.enrolment_create(cohort=mine, participant=jan, by=None, waitlist_if_full=True)
    assert enrolment.status == Enrolment.Status.WAITLISTED  # waiting, they are expected nowhere yet


@pytest.mark.parametrize(
    ("previous", "status"),
    [
        (Enrolment.Status.WAITLISTED, Enrolment.Status.INVITED),
        (Enrolment.Status.WAITLISTED, Enrolment.Status.ENROLLED),
        (Enrolment.Status.WITHDRAWN, Enrolment.Status.INVITED),
        (Enrolment.Status.WITHDRAWN, Enrolment.Status.ENROLLED),
        (Enrolment.Status.COMPLETED, Enrolment.Status.ENROLLED),
    ],
)
def test_a_status_change_into_attending_is_refused(world, previous, status):
    mine, _theirs, jan, _ours, _other = world
    enrolment = EnrolmentFactory(cohort=mine, participant=jan, status=previous, waitlisted_at=timezone.now())
    with pytest.raises(ApplicationError) as excinfo:
        services.enrolment_status_change(enrolment=enrolment, status=status, by=None)
    assert excinfo.value.field_errors == {"schedule": [CLASH]}
    enrolment.refresh_from_db()
    assert enrolment.status == previous
    assert not EnrolmentStatusChange.objects.filter(enrolment=enrolment).exists()


def test_someone_already_attending_can_still_be_marked_enrolled(world):
    """The clash check is about becoming expected: an invited person confirming changes nothing."""
    mine, _theirs, jan, _ours, _other = world
    enrolment = EnrolmentFactory(cohort=mine, participant=jan, status=Enrolment.Status.INVITED)
    services.enrolment_status_change(enrolment=enrolment, status=Enrolment.Status.ENROLLED, by=None)
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_the_api_and_the_pages_explain_the_clash(world, api_client, client):
    mine, _theirs, jan, _ours, _other = world
    coordinator = CoordinatorFactory()
    api_client.force_login(coordinator)
    response = api_client.post("/api/v1/enrolments/", {"cohort": mine.pk, "participant": jan.pk})
    assert response.status_code == 400
    assert response.json()["schedule"] == [CLASH]

    client.force_login(coordinator)
    page = client.post(
        reverse("participants:enrol", kwargs={"slug": mine.slug}),
        {"participant": jan.pk, "status": "invited", "preferred_language": "en"},
    )
    assert page.status_code == 200
    assert CLASH in page.context["form"].non_field_errors()
    assert CLASH in page.content.decode()
    assert not Enrolment.objects.filter(cohort=mine).exists()

    withdrawn = EnrolmentFactory(cohort=mine, participant=jan, status=Enrolment.Status.WITHDRAWN)
    response = api_client.post(f"/api/v1/enrolments/{withdrawn.pk}/status/", {"status": "invited"})
    assert response.status_code == 400
    assert response.json()["schedule"] == [CLASH]
    page = client.post(reverse("participants:enrolment_status", kwargs={"pk": withdrawn.pk}), {"status": "invited"})
    assert page.status_code == 200
    assert CLASH in page.context["form"].non_field_errors()
    withdrawn.refresh_from_db()
    assert withdrawn.status == Enrolment.Status.WITHDRAWN


# --- the waiting list -----------------------------------------------------------------------------


def test_the_waiting_list_passes_over_someone_expected_elsewhere(world, django_capture_on_commit_callbacks):
    mine, _theirs, jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=1)
    leaving = EnrolmentFactory(cohort=mine)
    first = _waiting(mine, jan, minutes_ago=30)
    second = _waiting(mine, ParticipantFactory(user__email="ana@example.org"), minutes_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_status_change(enrolment=leaving, status=Enrolment.Status.WITHDRAWN, by=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Enrolment.Status.WAITLISTED, Enrolment.Status.INVITED)
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    [note] = first.status_changes.values_list("note", flat=True)
    assert note == f"Stays on the waiting list although a place is free: {CLASH}"
    promoted = second.status_changes.get()
    assert promoted.note == (
        "Moved up from the waiting list: a place became free. "
        "1 person ahead stays waiting: expected elsewhere at the same time."
    )
    # Jan keeps his place in the queue, and his history does not repeat itself.
    services.enrolment_status_change(enrolment=second, status=Enrolment.Status.WITHDRAWN, by=None)
    first.refresh_from_db()
    assert first.status == Enrolment.Status.WAITLISTED
    assert first.status_changes.count() == 1
    assert first.waitlisted_at < second.waitlisted_at


def test_once_free_they_move_up_first(world):
    mine, theirs, jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=1)
    mine.refresh_from_db()
    first = _waiting(mine, jan, minutes_ago=30)
    second = _waiting(mine, ParticipantFactory(), minutes_ago=10)
    Enrolment.objects.filter(cohort=theirs, participant=jan).update(status=Enrolment.Status.WITHDRAWN)
    assert services.cohort_waitlist_promote(cohort=mine, by=None) == [first]
    second.refresh_from_db()
    assert second.status == Enrolment.Status.WAITLISTED


def test_the_waiting_list_page_says_who_cannot_move_up(world, client):
    mine, _theirs, jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=2)
    stuck = _waiting(mine, jan, minutes_ago=30)
    free = _waiting(mine, ParticipantFactory(), minutes_ago=10)
    client.force_login(CoordinatorFactory())
    url = reverse("participants:waitlist", kwargs={"slug": mine.slug})
    page = client.get(url)
    assert page.context["waiting"] == [stuck, free]
    assert page.context["waiting"][0].schedule_clashes == [CLASH]
    assert page.context["waiting"][1].schedule_clashes == []
    assert "Cannot move up" in page.content.decode()
    response = client.post(url, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Moved up from the waiting list") for m in messages)
    assert "1 person stays waiting: another of their cohorts meets at the same time (see below)." in messages
    free.refresh_from_db()
    assert free.status == Enrolment.Status.INVITED


def test_the_waiting_list_page_costs_the_same_queries_for_few_and_many_clashes(
    world, client, django_assert_max_num_queries
):
    mine, theirs, jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=1)
    EnrolmentFactory(cohort=mine)
    _waiting(mine, jan, minutes_ago=60)
    client.force_login(CoordinatorFactory())
    url = reverse("participants:waitlist", kwargs={"slug": mine.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        person = ParticipantFactory()
        EnrolmentFactory(cohort=theirs, participant=person)
        _waiting(mine, person, minutes_ago=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert sum(1 for e in page.context["waiting"] if e.schedule_clashes) == 16


# --- the roster import ----------------------------------------------------------------------------


def _upload(cohort: Cohort, *lines: str, waitlist_rest: bool = False) -> RosterImport:
    content = ("\n".join(["email,first_name,last_name", *lines]) + "\n").encode()
    return services.roster_import_create(
        cohort=cohort, uploaded_by=None, filename="roster.csv", content=content, waitlist_rest=waitlist_rest
    )


def test_the_roster_preview_refuses_a_row_expected_elsewhere_and_the_import_saves_nothing(world):
    mine, *_ = world
    roster_import = _upload(mine, "new@example.org,Nora,New", "jan@example.org,Jan,Kowalski")
    preview = selectors.roster_import_preview(roster_import=roster_import)
    new, jan_row = preview.rows
    assert new.ok
    assert jan_row.errors == {"schedule": [CLASH]}
    assert jan_row.place == ""
    with pytest.raises(services.RosterImportError):
        services.roster_import_commit(roster_import=roster_import, by=None)
    assert not Enrolment.objects.filter(cohort=mine).exists()


def test_a_row_that_only_waits_is_no_clash_and_takes_no_place_from_the_next(world):
    mine, _theirs, _jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=1)
    mine.refresh_from_db()
    # Jan's row is an error while a place is free: the next row takes it...
    refused = selectors.roster_import_preview(roster_import=_upload(mine, "jan@example.org,,", "ana@example.org,,"))
    assert [(r.ok, r.place) for r in refused.rows] == [(False, ""), (True, "enrol")]
    # ...and behind it, with the waiting list allowed, Jan only waits: no clash.
    waits = _upload(mine, "ana@example.org,,", "jan@example.org,,", waitlist_rest=True)
    assert [(r.ok, r.place) for r in selectors.roster_import_preview(roster_import=waits).rows] == [
        (True, "enrol"),
        (True, "waitlist"),
    ]
    services.roster_import_commit(roster_import=waits, by=None)
    assert dict(Enrolment.objects.filter(cohort=mine).values_list("participant__user__email", "status")) == {
        "ana@example.org": "invited",
        "jan@example.org": "waitlisted",
    }


def test_people_waiting_who_cannot_move_up_do_not_hold_back_the_roster(world):
    mine, _theirs, jan, _ours, _other = world
    Cohort.objects.filter(pk=mine.pk).update(capacity=1)
    mine.refresh_from_db()
    _waiting(mine, jan, minutes_ago=5)
    roster_import = _upload(mine, "ana@example.org,,")
    preview = selectors.roster_import_preview(roster_import=roster_import)
    assert (preview.waiting, preview.free_places) == (0, 1)
    assert [r.place for r in preview.rows] == ["enrol"]
    services.roster_import_commit(roster_import=roster_import, by=None)
    assert Enrolment.objects.get(participant__user__email="ana@example.org").status == "invited"
    assert Enrolment.objects.get(cohort=mine, participant=jan).status == "waitlisted"
