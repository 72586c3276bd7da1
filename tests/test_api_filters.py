"""Id filters answer 400 for what is not an id, never a database error (found by the contract run)."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory
from core.filters import MAX_ID, IdFilter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["-2.8366494069325382e+93", "1e99", "0", str(MAX_ID + 1), "1.5", "x"])
def test_what_is_not_an_id_is_refused_by_the_filter(value):
    with pytest.raises(ValidationError):
        IdFilter().field.clean(value)


def test_an_id_is_taken():
    assert IdFilter().field.clean("42") == 42


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/roster-imports/?cohort=-2.8366494069325382e%2B93",
        "/api/v1/sessions/?cohort=1e99",
        "/api/v1/enrolments/?participant=99999999999999999999",
        "/api/v1/exercise-runs/?exercise=1.5",
        "/api/v1/calendar-feeds/?cohort=-1",
    ],
)
def test_every_id_filter_answers_400_for_a_number_out_of_range(url):
    client = APIClient()
    client.force_authenticate(CoordinatorFactory())
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
