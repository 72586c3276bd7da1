"""trainings.CohortMember mirrors enrolments: whatever the services do, it never drifts.

Trainings answers "who may see this cohort" and "how many places are taken" from CohortMember
alone, so a drift would show a cohort to someone withdrawn, or count places wrongly.
"""

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.exceptions import ApplicationError
from participants import services
from participants.models import Enrolment
from participants.tests.factories import ParticipantFactory
from trainings import services as trainings_services
from trainings.models import CohortMember
from trainings.tests.factories import CohortFactory

STATUSES = list(Enrolment.Status.values)


def _expected() -> set[tuple[int, int, bool]]:
    return {
        (cohort_id, user_id, status in Enrolment.PLACE_STATUSES)
        for cohort_id, user_id, status in Enrolment.objects.filter(status__in=Enrolment.ACCESS_STATUSES).values_list(
            "cohort_id", "participant__user_id", "status"
        )
    }


def _mirrored() -> set[tuple[int, int, bool]]:
    return set(CohortMember.objects.values_list("cohort_id", "user_id", "holds_place"))


def _raise_capacity(cohort) -> None:
    """As portal.services.cohort_update does: one more place, given to the waiting list."""
    trainings_services.cohort_update(cohort=cohort, data={"capacity": cohort.capacity + 1})
    services.cohort_waitlist_promote(cohort=cohort, by=None)


class MembersNeverDriftTests(TestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        capacity=st.integers(min_value=1, max_value=3),
        steps=st.lists(
            st.tuples(
                st.sampled_from(["enrol", "waitlist", "status", "capacity", "roster"]),
                st.integers(min_value=0, max_value=2),
                st.sampled_from(STATUSES),
            ),
            min_size=1,
            max_size=12,
        ),
    )
    def test_every_service_keeps_cohort_members_equal_to_enrolments(self, capacity, steps):
        cohorts = [CohortFactory(capacity=capacity), CohortFactory(capacity=capacity)]
        people = [ParticipantFactory() for _ in range(3)]
        for action, index, status in steps:
            cohort, person = cohorts[index % 2], people[index]
            try:
                if action in ("enrol", "waitlist"):
                    services.enrolment_create(
                        cohort=cohort, participant=person, by=None, waitlist_if_full=action == "waitlist"
                    )
                elif action == "status":
                    enrolment = Enrolment.objects.filter(cohort=cohort, participant=person).first()
                    if enrolment is not None:
                        services.enrolment_status_change(enrolment=enrolment, status=status, by=None)
                elif action == "capacity":
                    cohort.refresh_from_db()
                    _raise_capacity(cohort)
                else:
                    # The bulk path: this person and the next, and a new one; the rest wait.
                    others = [people[(index + 1) % 3].user.email, f"new{len(steps)}-{index}@example.org"]
                    lines = [f"{email};A;B" for email in (person.user.email, *others)]
                    content = ("email;first_name;last_name\n" + "\n".join(lines) + "\n").encode()
                    upload = services.roster_import_create(
                        cohort=cohort, uploaded_by=None, filename="r.csv", content=content, waitlist_rest=True
                    )
                    services.roster_import_commit(roster_import=upload, by=None)
            except (ApplicationError, ValidationError):
                pass  # refused: nothing changed, and the mirror must say so too
            assert _mirrored() == _expected(), (action, index, status)


class MembersFollowEachPathTests(TestCase):
    """One explicit case per way an enrolment changes, so a missed path fails at once."""

    def test_enrolment_waitlist_promotion_withdrawal_and_capacity(self):
        cohort = CohortFactory(capacity=1)
        first, second, third = (ParticipantFactory() for _ in range(3))
        taken = services.enrolment_create(cohort=cohort, participant=first, by=None)
        waiting = services.enrolment_create(cohort=cohort, participant=second, by=None, waitlist_if_full=True)
        services.enrolment_create(cohort=cohort, participant=third, by=None, waitlist_if_full=True)
        assert _mirrored() == _expected()
        assert CohortMember.objects.get(user=second.user).holds_place is False

        services.enrolment_status_change(enrolment=taken, status=Enrolment.Status.WITHDRAWN, by=None)
        assert _mirrored() == _expected()
        assert not CohortMember.objects.filter(user=first.user).exists()
        waiting.refresh_from_db()
        assert waiting.status == Enrolment.Status.INVITED  # moved up from the waiting list
        assert CohortMember.objects.get(user=second.user).holds_place is True

        _raise_capacity(cohort)
        assert CohortMember.objects.get(user=third.user).holds_place is True
        assert _mirrored() == _expected()

    def test_bulk_sync_inserts_updates_and_deletes(self):
        cohort = CohortFactory(capacity=5)
        enrolments = [
            services.enrolment_create(cohort=cohort, participant=ParticipantFactory(), by=None) for _ in range(3)
        ]
        for enrolment, status in zip(enrolments, ("waitlisted", "completed", "withdrawn"), strict=True):
            # Changed behind the services' back, then mirrored in one go.
            Enrolment.objects.filter(pk=enrolment.pk).update(status=status, waitlisted_at=enrolment.created_at)
            enrolment.status = status
        services.enrolments_member_sync(enrolments)
        assert _mirrored() == _expected()
        assert CohortMember.objects.filter(cohort=cohort).count() == 2

    def test_roster_commit(self):
        cohort = CohortFactory(capacity=5)
        content = b"email;first_name;last_name\nana@example.org;Ana;Nowak\njan@example.org;Jan;Kos\n"
        upload = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="r.csv", content=content)
        services.roster_import_commit(roster_import=upload, by=None)
        assert CohortMember.objects.filter(cohort=cohort, holds_place=True).count() == 2
        assert _mirrored() == _expected()
