import pytest

from accounts.tests.factories import CoordinatorFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory
from trainings import selectors as trainings_selectors
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_places_taken_counts_invited_enrolled_and_completed_people():
    cohort = CohortFactory()
    for status in Enrolment.Status.values:
        EnrolmentFactory(cohort=cohort, status=status, waitlisted_at=cohort.created_at)
    [listed] = trainings_selectors.cohort_list(user=CoordinatorFactory())
    assert listed.places_taken == 3
