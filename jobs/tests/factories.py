import factory

from jobs.models import Job


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "tests.echo"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    requested_by = factory.SubFactory("accounts.tests.factories.UserFactory")
