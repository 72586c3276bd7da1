import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from accounts.tests.factories import ParticipantUserFactory
from participants.models import Enrolment, Participant
from participants.services import enrolment_member_sync
from trainings.tests.factories import AgencyFactory, CohortFactory


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(ParticipantUserFactory)
    agency = factory.SubFactory(AgencyFactory)
    position = "Officer"
    country = "PL"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(ParticipantFactory)
    status = Enrolment.Status.ENROLLED

    @classmethod
    def _create(cls, model_class: type[Enrolment], *args: object, **kwargs: object) -> Enrolment:
        # Like the services: the cohort's members (trainings.CohortMember) follow the enrolment.
        enrolment = super()._create(model_class, *args, **kwargs)
        enrolment_member_sync(enrolment)
        return enrolment


def waitlisted_enrolments(cohort: Any, *, minutes_ago: list[int]) -> list[Enrolment]:
    """People on the cohort's waiting list, put there the given minutes ago (creation order is not queue order)."""
    now = timezone.now()
    return [
        EnrolmentFactory(cohort=cohort, status="waitlisted", waitlisted_at=now - dt.timedelta(minutes=m))
        for m in minutes_ago
    ]
