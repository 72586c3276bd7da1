"""Who sees which questionnaires and administrations, as composable filters (the rules say the same)."""

from typing import Any

from django.db import models
from django.db.models import Q

from accounts.roles import is_facilitator
from trainings import access


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "QuestionnaireQuerySet":
        """The builder's questionnaires: coordinators see all; facilitators see templates, their own, and
        those given to a cohort they facilitate. Participants meet questionnaires through administrations."""
        if access.sees_everything(user):
            return self.all()
        if user is None or not user.is_authenticated or not is_facilitator(user):
            return self.none()
        cohorts = access.facilitated_cohort_ids(user)
        return self.filter(
            Q(is_template=True) | Q(created_by=user) | Q(administrations__cohort_id__in=cohorts)
        ).distinct()


class AdministrationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "AdministrationQuerySet":
        """Coordinators see all; staff and members of the cohort see its administrations (a run's too)."""
        if access.sees_everything(user):
            return self.all()
        return self.filter(cohort_id__in=access.visible_cohort_ids(user))

    def managed_by(self, user: Any) -> "AdministrationQuerySet":
        if access.sees_everything(user):
            return self.all()
        return self.filter(cohort_id__in=access.facilitated_cohort_ids(user))
