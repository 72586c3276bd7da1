import factory
from django.utils import timezone

from conduct.models import HotwashItem, InjectDelivery, InjectRelease, Message, MessageRecipient, Observation
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    run = factory.SubFactory(ExerciseRunFactory)
    observed_at = factory.LazyFunction(timezone.now)
    text = "Team 1 called team 2 quickly."


class InjectReleaseFactory(factory.django.DjangoModelFactory):
    """A released ad-hoc inject unless ``inject`` is given; deliver it with InjectDeliveryFactory."""

    class Meta:
        model = InjectRelease

    run = factory.SubFactory(ExerciseRunFactory)
    status = InjectRelease.Status.RELEASED
    title = factory.Sequence(lambda n: f"Released inject {n}")
    body = "Six persons with irregular documents at the border crossing."
    at = factory.LazyFunction(timezone.now)


class InjectDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InjectDelivery

    team = factory.SubFactory(RunTeamFactory)
    release = factory.SubFactory(InjectReleaseFactory, run=factory.SelfAttribute("..team.run"))


class MessageFactory(factory.django.DjangoModelFactory):
    """A message from ``sender_team`` (give one, or a cell role, or neither for exercise control)."""

    class Meta:
        model = Message

    run = factory.SubFactory(ExerciseRunFactory)
    sent_at = factory.LazyFunction(timezone.now)
    body = "We hold six persons with irregular documents."


class MessageRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageRecipient

    team = factory.SubFactory(RunTeamFactory)
    message = factory.SubFactory(MessageFactory, run=factory.SelfAttribute("..team.run"))


class HotwashItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HotwashItem

    run = factory.SubFactory(ExerciseRunFactory)
    kind = HotwashItem.Kind.STRENGTH
    text = "The police called the labour inspectors early."
