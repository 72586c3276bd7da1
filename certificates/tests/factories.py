import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from certificates import codes
from certificates.models import Certificate, CertificatePolicy, EligibilityOverride
from participants.models import Attendance, Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory


class CertificatePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificatePolicy

    cohort = factory.SubFactory(CohortFactory)


class EligibilityOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityOverride

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(ParticipantFactory)
    rule = EligibilityOverride.Rule.ATTENDANCE
    reason = "Was on duty at a border crossing."


class CertificateFactory(factory.django.DjangoModelFactory):
    """A pending certificate (render it with certificates.services.certificate_render)."""

    class Meta:
        model = Certificate

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(ParticipantFactory)
    code = factory.LazyFunction(codes.new_code)
    holder_name = factory.LazyAttribute(lambda o: o.participant.user.get_full_name())


def past_cohort(**kwargs: Any) -> Cohort:
    """A cohort that ended last week."""
    start = timezone.localdate() - dt.timedelta(days=10)
    return CohortFactory(start_date=start, end_date=start + dt.timedelta(days=2), **kwargs)


def held_session(cohort: Cohort, *, day: int = 0, **kwargs: Any) -> Session:
    """A session of the cohort that is over (two hours on its ``day``-th day)."""
    starts = dt.datetime.combine(cohort.start_date + dt.timedelta(days=day), dt.time(9, 0), tzinfo=cohort.tz)
    return SessionFactory(cohort=cohort, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), **kwargs)


def attend(enrolment: Enrolment, *sessions: Session, status: str = Attendance.Status.PRESENT) -> None:
    for session in sessions:
        Attendance.objects.create(enrolment=enrolment, session=session, status=status, recorded_at=timezone.now())


def enrolled(cohort: Cohort, **kwargs: Any) -> Enrolment:
    return EnrolmentFactory(cohort=cohort, **kwargs)
