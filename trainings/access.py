"""Which cohorts a user belongs to: the single source for every app's rules and querysets.

Staff come from the cohort's coordinators and facilitators, members from ``CohortMember``
(which participants' enrolment services keep in step with enrolments). The sets are cached on
the user object, which for ``request.user`` lives one request.
"""

from typing import Any

from django.db.models import Value

from accounts.roles import is_coordinator

_CACHE_ATTR = "_concord_cohort_access"


def _access(user: Any) -> dict[str, frozenset[int]]:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from trainings.models import Cohort, CohortMember

    if user is None or not user.is_authenticated or not user.is_active:
        cached = {"facilitated": frozenset(), "member": frozenset(), "coordinated": frozenset()}
    else:
        # One query, one row per cohort and kind: a UNION of the three through tables, not a join of them.
        staff = (
            Cohort.facilitators.through.objects.filter(user=user).order_by().values_list("cohort_id", Value("staff"))
        )
        coordinating = (
            Cohort.coordinators.through.objects.filter(user=user).order_by().values_list("cohort_id", Value("coord"))
        )
        enrolled = CohortMember.objects.filter(user=user).order_by().values_list("cohort_id", Value("member"))
        facilitated: set[int] = set()
        member: set[int] = set()
        coordinated: set[int] = set()
        for cohort_id, kind in staff.union(coordinating, enrolled):
            if kind == "member":
                member.add(cohort_id)
                continue
            facilitated.add(cohort_id)  # a named coordinator is staff of the cohort too
            if kind == "coord":
                coordinated.add(cohort_id)
        cached = {
            "facilitated": frozenset(facilitated),
            "member": frozenset(member),
            "coordinated": frozenset(coordinated),
        }
    if user is not None:
        setattr(user, _CACHE_ATTR, cached)
    return cached


def facilitated_cohort_ids(user: Any) -> frozenset[int]:
    """Cohorts the user runs as a facilitator (or as one of the cohort's named coordinators)."""
    return _access(user)["facilitated"]


def coordinated_cohort_ids(user: Any) -> frozenset[int]:
    """Cohorts that name the user among their coordinators."""
    return _access(user)["coordinated"]


def member_cohort_ids(user: Any) -> frozenset[int]:
    """Cohorts the user takes part in through an enrolment that is not withdrawn."""
    return _access(user)["member"]


def visible_cohort_ids(user: Any) -> frozenset[int]:
    return facilitated_cohort_ids(user) | member_cohort_ids(user)


def sees_everything(user: Any) -> bool:
    return is_coordinator(user)
