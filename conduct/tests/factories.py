import factory
from django.utils import timezone

from conduct.models import Observation
from exercises.tests.factories import ExerciseRunFactory


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    run = factory.SubFactory(ExerciseRunFactory)
    observed_at = factory.LazyFunction(timezone.now)
    text = "Team 1 called team 2 quickly."
