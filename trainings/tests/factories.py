import datetime as dt

import factory
from django.utils import timezone

from trainings.models import Agency, AgencyKind, Cohort, Course, DeliveryMode, LearningObjective, Session


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.POLICE
    country = "PL"


class LearningObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningObjective

    code = factory.Sequence(lambda n: f"lo-{n}")
    title = factory.Sequence(lambda n: f"Objective {n}")
    order = factory.Sequence(lambda n: n)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=4))
    delivery_mode = DeliveryMode.IN_PERSON
    venue = "Training centre, Warsaw"
    time_zone = "Europe/Warsaw"
    capacity = 30

    @factory.post_generation
    def facilitators(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.facilitators.add(*extracted)

    @factory.post_generation
    def coordinators(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.coordinators.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.cohort.start_date, dt.time(9, 0), tzinfo=o.cohort.tz)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    room = "Room A"
