"""trainings.CohortMember follows enrolments: who takes part in a cohort, and whether they hold a place.

Trainings answers "who may see this cohort" and "how many places are taken" from CohortMember
alone. Only the enrolment services here write it, in the transaction that changes the enrolment
(``participants/tests/test_members.py`` checks it never drifts).
"""

from collections.abc import Iterable

from participants.models import Enrolment
from trainings.services import cohort_member_set, cohort_members_set


def _holds_place(status: str) -> bool | None:
    """True or False for a member, None for someone who no longer takes part."""
    if status not in Enrolment.ACCESS_STATUSES:
        return None
    return status in Enrolment.PLACE_STATUSES


def enrolment_member_sync(enrolment: Enrolment) -> None:
    """Mirror one enrolment into trainings' CohortMember."""
    cohort_member_set(
        cohort_id=enrolment.cohort_id,
        user_id=enrolment.participant.user_id,
        holds_place=_holds_place(enrolment.status),
    )


def enrolments_member_sync(enrolments: Iterable[Enrolment]) -> None:
    """Mirror many enrolments at once (a roster import). ``enrolment.participant`` must be loaded."""
    cohort_members_set(
        members=[
            (enrolment.cohort_id, enrolment.participant.user_id, _holds_place(enrolment.status))
            for enrolment in enrolments
        ]
    )
