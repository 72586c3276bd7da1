"""Reads for the trainings pages and API: catalogue, courses, cohorts and sessions.

Places taken come from ``CohortMember`` (kept by participants' enrolment services), so nothing here
reaches into a higher app; agendas with runs are read by portal.selectors.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from trainings.models import Cohort, CohortMember, Course, LearningObjective, Session
from trainings.querysets import CohortQuerySet


def objective_list() -> QuerySet[LearningObjective]:
    """The learning-objective catalogue: everyone signed in may read it."""
    return LearningObjective.objects.order_by("-is_active", "order", "code")


def course_list(*, user: Any) -> QuerySet[Course]:
    return Course.objects.visible_to(user).order_by("title")


def course_visible_list(*, user: Any) -> QuerySet[Course]:
    """The courses the user may see, with their objectives: where pages find one course."""
    return Course.objects.visible_to(user).prefetch_related("learning_objectives")


def course_get(*, user: Any, slug: str) -> Course | None:
    return course_visible_list(user=user).filter(slug=slug).first()


def cohort_list_with_places(*, user: Any) -> CohortQuerySet:
    """The cohorts the user may see, each with ``places_taken``."""
    return (
        Cohort.objects.visible_to(user)
        .select_related("course")
        .annotate(places_taken=Count("members", filter=Q(members__holds_place=True)))
        .order_by("-start_date", "name")
    )


def cohort_list(*, user: Any) -> CohortQuerySet:
    return (
        Cohort.objects.visible_to(user)
        .select_related("course")
        .annotate(places_taken=Count("members", filter=Q(members__holds_place=True)))
        .order_by("-start_date", "name")
    )


def cohort_current_list(*, user: Any) -> CohortQuerySet:
    """Cohorts that have not ended yet, soonest first."""
    return cohort_list(user=user).current().order_by("start_date", "name")


def cohort_visible_list(*, user: Any) -> CohortQuerySet:
    """The cohorts the user may see, each with ``places_taken`` and its staff: where pages find one cohort."""
    return (
        Cohort.objects.visible_to(user)
        .select_related("course")
        .annotate(places_taken=Count("members", filter=Q(members__holds_place=True)))
        .prefetch_related("facilitators", "coordinators")
    )


def cohort_get(*, user: Any, slug: str) -> Cohort | None:
    """One cohort the user may see, with ``places_taken`` and its staff."""
    return cohort_visible_list(user=user).filter(slug=slug).first()


def session_visible_list(*, user: Any) -> QuerySet[Session]:
    """The sessions the user may see, with their cohort and course: where pages find one session."""
    return Session.objects.visible_to(user).select_related("cohort__course")


def session_upcoming_list(*, user: Any, limit: int = 20) -> list[Session]:
    """Scheduled sessions that have not ended, across the cohorts the user sees."""
    return list(
        Session.objects.visible_to(user)
        .scheduled()
        .upcoming()
        .select_related("cohort")
        .order_by("starts_at", "pk")[:limit]
    )


def retention_candidates(cutoff: dt.date) -> list[int]:
    """The people the retention sweep erases (privacy.registry.register_retention): members of cohorts,
    every one of which ended before ``cutoff`` and none of which a coordinator holds, who are staff of no
    cohort and hold no staff role, and are not erased yet."""
    recent_or_held = CohortMember.objects.filter(Q(cohort__end_date__gte=cutoff) | ~Q(cohort__retention_hold=""))
    staff = Q(groups__name__in=[Role.COORDINATOR, Role.FACILITATOR]) | Q(is_staff=True) | Q(is_superuser=True)
    staff |= Q(pk__in=Cohort.coordinators.through.objects.values("user"))
    staff |= Q(pk__in=Cohort.facilitators.through.objects.values("user"))
    return list(
        User.objects.filter(erased_at__isnull=True, pk__in=CohortMember.objects.values("user"))
        .exclude(pk__in=recent_or_held.values("user"))
        .exclude(staff)
        .values_list("pk", flat=True)
        .distinct()
    )


# --- retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortRetention:
    """When a cohort's personal data is due for anonymisation, and whether a coordinator holds it."""

    due: dt.date  # the end date plus CONCORD_RETENTION_COHORT_DAYS
    days: int  # CONCORD_RETENTION_COHORT_DAYS
    is_due: bool  # the day has come: the sweep anonymises the people unless the cohort is held
    held: bool


def cohort_retention(*, cohort: Cohort, today: dt.date | None = None) -> CohortRetention:
    """No query: the cohort's dates and hold, and the setting."""
    days = settings.CONCORD_RETENTION_COHORT_DAYS
    due = cohort.end_date + dt.timedelta(days=days)
    today = today or timezone.localdate()
    return CohortRetention(due=due, days=days, is_due=today >= due, held=bool(cohort.retention_hold))


def cohort_retention_queryset(*, user: Any) -> CohortQuerySet:
    """The cohorts the user may see, with who holds their data: where the retention page finds one."""
    return Cohort.objects.visible_to(user).select_related("course", "retention_held_by")
