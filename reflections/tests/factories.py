import datetime as dt

import factory
from django.utils import timezone

from reflections.models import Administration, Choice, Question, Questionnaire
from trainings.tests.factories import CohortFactory


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    title = factory.Sequence(lambda n: f"Reflection {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A free-text question unless ``kind`` says otherwise (a scale gets 5 points)."""

    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.TEXT
    text = factory.Sequence(lambda n: f"Question {n}?")
    scale_max = factory.LazyAttribute(lambda o: 5 if o.kind == Question.Kind.SCALE else None)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE)
    order = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"choice-{n}")
    label = factory.Sequence(lambda n: f"Choice {n}")


class AdministrationFactory(factory.django.DjangoModelFactory):
    """Open now for a week, to a whole cohort (give ``run`` for a run's questionnaire)."""

    class Meta:
        model = Administration

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    cohort = factory.SubFactory(CohortFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
