from typing import Any

from django.db import models

from trainings import access


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ObservationQuerySet":
        """Observations are for the exercise staff only, never for participants."""
        if access.sees_everything(user):
            return self.all()
        return self.filter(run__cohort_id__in=access.facilitated_cohort_ids(user))
