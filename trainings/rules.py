"""Who may see and change trainings objects. Views, API and templates ask these."""

from typing import Any

import rules

from accounts.rules import is_coordinator
from trainings import access


@rules.predicate
def facilitates_cohort(user: Any, obj: Any) -> bool:
    cohort_id = _cohort_id(obj)
    return cohort_id is not None and cohort_id in access.facilitated_cohort_ids(user)


@rules.predicate
def coordinates_cohort(user: Any, obj: Any) -> bool:
    """The cohort names the user among its coordinators."""
    cohort_id = _cohort_id(obj)
    return cohort_id is not None and cohort_id in access.coordinated_cohort_ids(user)


@rules.predicate
def member_of_cohort(user: Any, obj: Any) -> bool:
    cohort_id = _cohort_id(obj)
    return cohort_id is not None and cohort_id in access.member_cohort_ids(user)


@rules.predicate
def can_see_course(user: Any, course: Any) -> bool:
    if course is None:
        return False
    visible = access.visible_cohort_ids(user)
    return bool(visible) and course.cohorts.filter(pk__in=visible).exists()


def _cohort_id(obj: Any) -> int | None:
    """A cohort's id from a cohort or from anything with a ``cohort_id`` (session, run, enrolment)."""
    if obj is None:
        return None
    if hasattr(obj, "cohort_id"):
        return obj.cohort_id
    return obj.pk


is_authenticated = rules.is_authenticated & rules.is_active

rules.add_perm("trainings.view_agency", is_authenticated)
rules.add_perm("trainings.add_agency", is_coordinator)
rules.add_perm("trainings.change_agency", is_coordinator)
rules.add_perm("trainings.delete_agency", is_coordinator)

rules.add_perm("trainings.view_learningobjective", is_authenticated)
rules.add_perm("trainings.add_learningobjective", is_coordinator)
rules.add_perm("trainings.change_learningobjective", is_coordinator)
rules.add_perm("trainings.delete_learningobjective", is_coordinator)

rules.add_perm("trainings.view_course", is_coordinator | can_see_course)
rules.add_perm("trainings.add_course", is_coordinator)
rules.add_perm("trainings.change_course", is_coordinator)
rules.add_perm("trainings.delete_course", is_coordinator)

rules.add_perm("trainings.view_cohort", is_coordinator | facilitates_cohort | member_of_cohort)
rules.add_perm("trainings.add_cohort", is_coordinator)
rules.add_perm("trainings.change_cohort", is_coordinator)
rules.add_perm("trainings.delete_cohort", is_coordinator)
# The cohort's people: roster, attendance, enrolment records.
rules.add_perm("trainings.view_cohort_roster", is_coordinator | facilitates_cohort)
rules.add_perm("trainings.record_attendance", is_coordinator | facilitates_cohort)
# Keeping the cohort's personal data past the retention period (privacy's sweep reads the hold).
rules.add_perm("trainings.hold_cohort_data", is_coordinator | coordinates_cohort)

rules.add_perm("trainings.view_session", is_coordinator | facilitates_cohort | member_of_cohort)
rules.add_perm("trainings.add_session", is_coordinator)
rules.add_perm("trainings.change_session", is_coordinator)
rules.add_perm("trainings.delete_session", is_coordinator)
