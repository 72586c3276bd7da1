"""Issue 7, item 15: the documented 5,000-row roster must commit. The commit works in bulk inside its
one transaction (a few statements per step whatever the rows) and publishes once after the commit;
benchmarks/roster_commit.py times 500 and 5,000 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, UserFactory
from participants import selectors, services
from participants.models import Enrolment, Participant
from participants.tests.factories import ParticipantFactory
from trainings.models import CohortMember
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,agency,position,country,preferred_language"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _upload(cohort, content: bytes, *, waitlist_rest: bool = False):
    return services.roster_import_create(
        cohort=cohort, uploaded_by=None, filename="roster.csv", content=content, waitlist_rest=waitlist_rest
    )


@pytest.fixture
def border_guard():
    return AgencyFactory(name="Border Guard", country="PL")


def _mixed_roster(cohort, size: int) -> bytes:
    """New people, people with an account only, participants to update and to leave: a quarter each."""
    lines = []
    for n in range(size):
        email = f"c{cohort.pk}-{n}@example.org"
        kind = n % 4
        if kind == 1:
            UserFactory(email=email)
        elif kind in (2, 3):
            ParticipantFactory(user__email=email, user__first_name=f"P{n}", position="Officer")
        position = "Chief" if kind == 2 else "Officer"
        lines.append(f"{email},P{n},,,{position},PL,pl")
    return _csv(*lines)


def test_commit_costs_about_the_same_queries_for_12_and_200_rows(django_capture_on_commit_callbacks):
    counts = []
    for size in (12, 200):
        cohort = CohortFactory(capacity=size // 2)  # half take places, half wait
        roster_import = _upload(cohort, _mixed_roster(cohort, size), waitlist_rest=True)
        with CaptureQueriesContext(connection) as context, django_capture_on_commit_callbacks() as callbacks:
            services.roster_import_commit(roster_import=roster_import, by=None)
        counts.append(len(context.captured_queries))
        assert len(callbacks) == 1  # one publish to the broker, after the commit
        assert Enrolment.objects.filter(cohort=cohort, status="invited").count() == size // 2
        assert Enrolment.objects.filter(cohort=cohort, status="waitlisted").count() == size - size // 2
        assert Participant.objects.filter(user__email__startswith=f"c{cohort.pk}-", position="Chief").count() == (
            size // 4
        )
    # One statement per step whatever the rows (SQLite cuts an insert into batches of 999 parameters).
    assert counts[1] <= counts[0] + 10, counts


def test_a_large_commit_writes_what_one_row_at_a_time_wrote(border_guard):
    """Everything the per-row services wrote: accounts without a password, the participant role,
    enrolments with their first history entry, the waiting list in file order, CohortMember."""
    coordinator = CoordinatorFactory()
    cohort = CohortFactory(capacity=2)
    known = ParticipantFactory(user__email="known@example.org", user__first_name="Old", agency=None)
    content = _csv(
        "new@example.org,Nora,New,Border Guard,Analyst,pl,pl",
        "known@example.org,Kate,,Border Guard (PL),,,",
        "w1@example.org,W,One,,,,",
        "w2@example.org,W,Two,,,,",
    )
    services.roster_import_commit(roster_import=_upload(cohort, content, waitlist_rest=True), by=coordinator)
    new = Participant.objects.select_related("user").get(user__email="new@example.org")
    assert (new.user.first_name, new.agency, new.country, new.user.language) == ("Nora", border_guard, "PL", "pl")
    assert not new.user.has_usable_password()
    assert set(new.user.groups.values_list("name", flat=True)) == {"participant"}
    known.refresh_from_db()
    known.user.refresh_from_db()
    assert (known.user.first_name, known.agency) == ("Kate", border_guard)
    enrolments = Enrolment.objects.filter(cohort=cohort).order_by("pk")
    assert [(e.participant.user.email, e.status) for e in enrolments] == [
        ("new@example.org", "invited"),
        ("known@example.org", "invited"),
        ("w1@example.org", "waitlisted"),
        ("w2@example.org", "waitlisted"),
    ]
    waiting = selectors.cohort_waitlist(cohort=cohort)
    assert [e.participant.user.email for e in waiting] == ["w1@example.org", "w2@example.org"]
    for enrolment in enrolments:
        [change] = enrolment.status_changes.all()
        assert (change.from_status, change.to_status, change.changed_by) == ("", enrolment.status, coordinator)
        assert enrolment.status_changed_by == coordinator
    members = dict(CohortMember.objects.filter(cohort=cohort).values_list("user__email", "holds_place"))
    assert members == {
        "new@example.org": True,
        "known@example.org": True,
        "w1@example.org": False,
        "w2@example.org": False,
    }


def test_the_preview_page_costs_the_same_queries_for_12_and_200_rows(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    counts = []
    for size in (12, 200):
        cohort = CohortFactory(capacity=size // 2)
        roster_import = _upload(cohort, _mixed_roster(cohort, size), waitlist_rest=True)
        url = reverse("participants:roster_preview", kwargs={"pk": roster_import.pk})
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["rows"]) == size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        client.get(url)
