from typing import Any

from django.db import models

from trainings import access


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ParticipantQuerySet":
        """Coordinators see everyone; facilitators their cohorts' people; a participant only themself."""
        if access.sees_everything(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        facilitated = access.facilitated_cohort_ids(user)
        return self.filter(models.Q(user=user) | models.Q(enrolments__cohort_id__in=facilitated)).distinct()


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "EnrolmentQuerySet":
        if access.sees_everything(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        facilitated = access.facilitated_cohort_ids(user)
        return self.filter(models.Q(participant__user=user) | models.Q(cohort_id__in=facilitated))

    def holding_place(self) -> "EnrolmentQuerySet":
        from participants.models import Enrolment

        return self.filter(status__in=Enrolment.PLACE_STATUSES)

    def active(self) -> "EnrolmentQuerySet":
        from participants.models import Enrolment

        return self.filter(status__in=Enrolment.ACCESS_STATUSES)
