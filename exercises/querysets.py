from typing import Any

from django.db import models
from django.db.models import Q

from trainings import access


class ExerciseQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ExerciseQuerySet":
        """The facilitator guide: coordinators, and facilitators of a cohort that runs or studies it."""
        if access.sees_everything(user):
            return self.all()
        cohorts = access.facilitated_cohort_ids(user)
        if not cohorts:
            return self.none()
        return self.filter(Q(runs__cohort_id__in=cohorts) | Q(courses__cohorts__in=cohorts)).distinct()


class ExerciseRunQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ExerciseRunQuerySet":
        if access.sees_everything(user):
            return self.all()
        return self.filter(cohort_id__in=access.visible_cohort_ids(user))

    def facilitated_by(self, user: Any) -> "ExerciseRunQuerySet":
        return self.filter(cohort_id__in=access.facilitated_cohort_ids(user))


class RunTeamQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "RunTeamQuerySet":
        if access.sees_everything(user):
            return self.all()
        return self.filter(run__cohort_id__in=access.visible_cohort_ids(user))


class TeamMembershipQuerySet(models.QuerySet):
    def confirmed(self) -> "TeamMembershipQuerySet":
        """Places in runs whose teams are confirmed: only then does a participant see their team and its
        briefing (the same rule as ``exercises.rules.teams_confirmed``)."""
        return self.filter(run__teams_confirmed_at__isnull=False)

    def visible_to(self, user: Any) -> "TeamMembershipQuerySet":
        if access.sees_everything(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        facilitated = access.facilitated_cohort_ids(user)
        return self.filter(Q(enrolment__participant__user=user) | Q(run__cohort_id__in=facilitated))
