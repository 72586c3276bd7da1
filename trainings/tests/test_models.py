import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trainings.models import Cohort
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_cohort_end_before_start_is_refused_by_the_database():
    cohort = CohortFactory()
    cohort.end_date = cohort.start_date - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        cohort.save()


def test_cohort_capacity_must_be_positive_in_the_database():
    cohort = CohortFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(capacity=0)


def test_cohort_full_clean_explains_dates_and_time_zone():
    cohort = CohortFactory.build(time_zone="Mars/Olympus")
    cohort.end_date = cohort.start_date - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        cohort.full_clean(exclude=["course"])
    assert set(excinfo.value.message_dict) >= {"end_date", "time_zone"}


def test_session_must_end_after_it_starts():
    session = SessionFactory()
    session.ends_at = session.starts_at
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()
