"""Reads for the participants' own pages: their enrolments and profile."""

from typing import Any

from django.db.models import QuerySet

from participants.models import Enrolment, Participant
from trainings.models import Cohort


def participant_enrolment_list(*, user: Any, include_withdrawn: bool = False) -> QuerySet[Enrolment]:
    """The user's own enrolments; by default only those that still give access to their cohort."""
    enrolments = Enrolment.objects.filter(participant__user=user)
    if not include_withdrawn:
        enrolments = enrolments.active()
    return enrolments.select_related("cohort__course").order_by("-cohort__start_date", "cohort__name")


def participant_profile_get(*, user: Any) -> Participant | None:
    """The user's own participant profile."""
    if not user.is_authenticated:
        return None
    return Participant.objects.select_related("user", "agency").filter(user=user).first()


def cohort_roster(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolments with their people; callers check ``trainings.view_cohort_roster`` first."""
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("participant__user", "participant__agency")
        .order_by("participant__user__last_name", "participant__user__first_name", "participant__user__email")
    )
