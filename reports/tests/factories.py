import datetime as dt

import factory
from django.utils import timezone

from reports.models import ImprovementAction
from trainings.tests.factories import CohortFactory


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementAction

    cohort = factory.SubFactory(CohortFactory)
    area = "Information on victims reached the NGO late."
    action = "Agree a contact list between the border guard and the NGO."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
