import pytest

from accounts.tests.factories import FacilitatorFactory
from trainings import selectors
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_cohort_list_counts_places_taken_and_filters_by_visibility():
    facilitator = FacilitatorFactory()
    mine = CohortFactory(facilitators=[facilitator])
    CohortFactory()
    cohorts = list(selectors.cohort_list(user=facilitator))
    assert cohorts == [mine]
    assert cohorts[0].places_taken == 0
