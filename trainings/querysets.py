from typing import Any

from django.db import models
from django.utils import timezone

from trainings import access


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "CourseQuerySet":
        if access.sees_everything(user):
            return self.all()
        return self.filter(cohorts__in=access.visible_cohort_ids(user)).distinct()


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "CohortQuerySet":
        if access.sees_everything(user):
            return self.all()
        return self.filter(pk__in=access.visible_cohort_ids(user))

    def facilitated_by(self, user: Any) -> "CohortQuerySet":
        return self.filter(pk__in=access.facilitated_cohort_ids(user))

    def current(self) -> "CohortQuerySet":
        return self.filter(end_date__gte=timezone.localdate())


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "SessionQuerySet":
        if access.sees_everything(user):
            return self.all()
        return self.filter(cohort_id__in=access.visible_cohort_ids(user))

    def upcoming(self) -> "SessionQuerySet":
        return self.filter(ends_at__gte=timezone.now())

    def scheduled(self) -> "SessionQuerySet":
        return self.filter(status="scheduled")

    def overlapping(self, starts_at: Any, ends_at: Any) -> "SessionQuerySet":
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
