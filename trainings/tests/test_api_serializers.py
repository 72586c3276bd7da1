"""Related fields of trainings' serializers: output ones are read-only, input ones accept (and the
browsable API offers) only the rows the requesting person may see."""

import pytest
from rest_framework.test import APIRequestFactory

from accounts.tests.factories import FacilitatorFactory
from trainings.api.schedule import ConflictingSessionSerializer
from trainings.api.serializers import CohortInputSerializer, SessionInputSerializer, SessionSerializer
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _context(user) -> dict:
    request = APIRequestFactory().get("/")
    request.user = user
    return {"request": request}


@pytest.mark.parametrize("serializer_class", [SessionSerializer, ConflictingSessionSerializer])
def test_output_serializers_name_a_cohort_by_id_and_offer_none(serializer_class):
    assert serializer_class().fields["cohort"].read_only


def test_a_session_can_be_planned_only_in_a_cohort_the_person_sees(facilitator):
    mine = CohortFactory(facilitators=[facilitator])
    theirs = CohortFactory(facilitators=[FacilitatorFactory()])
    field = SessionInputSerializer(context=_context(facilitator)).fields["cohort"]
    assert list(field.get_queryset()) == [mine]
    assert theirs not in field.get_queryset()


def test_cohort_staff_are_chosen_only_by_people_who_may_see_everyone(facilitator, coordinator):
    for_facilitator = CohortInputSerializer(context=_context(facilitator)).fields
    assert not for_facilitator["facilitators"].child_relation.get_queryset().exists()
    assert for_facilitator["course"].get_queryset().count() == 0
    for_coordinator = CohortInputSerializer(context=_context(coordinator)).fields
    assert facilitator in for_coordinator["facilitators"].child_relation.get_queryset()
