import factory

from accounts.tests.factories import ParticipantUserFactory
from participants.models import Enrolment, Participant, TeamMembership
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


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory("exercises.tests.factories.RunTeamFactory")
    run = factory.LazyAttribute(lambda o: o.team.run)
    enrolment = factory.SubFactory(EnrolmentFactory, cohort=factory.SelfAttribute("..run.cohort"))
