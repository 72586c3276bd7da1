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


def _cell_run_ids(user: Any) -> models.QuerySet:
    """The runs in whose simulation cell the user has a place, as a subquery (no join, no duplicates)."""
    from exercises.models import RunCellMember

    return RunCellMember.objects.filter(user=user).values("run_id")


class ExerciseRunQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ExerciseRunQuerySet":
        """Runs of the user's cohorts, and runs whose cell they have a place in (a guest sees only those)."""
        if access.sees_everything(user):
            return self.all()
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(Q(cohort_id__in=access.visible_cohort_ids(user)) | Q(pk__in=_cell_run_ids(user)))

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


class RunCellMemberQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "RunCellMemberQuerySet":
        """Every place in the cells of runs the user manages (coordinators, the cohort's staff); else one's own."""
        if access.sees_everything(user):
            return self.all()
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(Q(run__cohort_id__in=access.facilitated_cohort_ids(user)) | Q(user=user))
