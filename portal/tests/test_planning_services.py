"""portal.services: trainings' planning writes, with what they mean for the other domains."""

import pytest

from participants import services as participant_services
from participants.models import Enrolment, EnrolmentStatusChange
from participants.tests.factories import EnrolmentFactory, waitlisted_enrolments
from portal.services import cohort_update
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _status(enrolment: Enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.status


def test_raising_the_capacity_fills_the_new_places_from_the_waiting_list_in_order(coordinator):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort, status="enrolled")
    third, first, second = waitlisted_enrolments(cohort, minutes_ago=[1, 20, 10])
    assert participant_services.cohort_waitlist_promote(cohort=cohort, by=None) == []  # no free place yet

    cohort_update(cohort=cohort, data={"capacity": 3}, by=coordinator)
    assert [_status(first), _status(second), _status(third)] == ["invited", "invited", "waitlisted"]
    assert EnrolmentStatusChange.objects.filter(to_status="invited", changed_by=coordinator).count() == 2
    assert participant_services.cohort_waitlist_promote(cohort=cohort, by=None) == []  # nothing left to give
