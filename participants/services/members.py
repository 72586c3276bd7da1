"""trainings.CohortMember follows enrolments: who takes part in a cohort, and whether they hold a place.

Trainings answers "who may see this cohort" and "how many places are taken" from CohortMember
alone. Only the enrolment services here write it, in the transaction that changes the enrolment
(``participants/tests/test_members.py`` checks it never drifts).
"""

from collections.abc import Iterable

from django.db.models import Q

from participants.models import Enrolment
from trainings.models import CohortMember
from trainings.services import cohort_member_set


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
    """Mirror many enrolments at once (a roster import): one insert-or-update and at most one delete.

    ``enrolment.participant`` must be loaded (its ``user_id`` is read).
    """
    keep: dict[tuple[int, int], CohortMember] = {}
    drop: list[Q] = []
    for enrolment in enrolments:
        key = (enrolment.cohort_id, enrolment.participant.user_id)
        holds_place = _holds_place(enrolment.status)
        if holds_place is None:
            keep.pop(key, None)
            drop.append(Q(cohort_id=key[0], user_id=key[1]))
        else:
            keep[key] = CohortMember(cohort_id=key[0], user_id=key[1], holds_place=holds_place)
    if drop:
        condition = Q()
        for one in drop:
            condition |= one
        CohortMember.objects.filter(condition).delete()
    if keep:
        # In one order, so that two imports sharing people never wait for each other in a circle.
        CohortMember.objects.bulk_create(
            [keep[key] for key in sorted(keep)],
            update_conflicts=True,
            unique_fields=["cohort", "user"],
            update_fields=["holds_place"],
            batch_size=1000,
        )
