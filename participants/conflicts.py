"""Schedule checks about people taking part, registered with trainings.conflicts (ParticipantsConfig.ready).

Two overlapping sessions of the same cohort are refused by trainings itself (every member
attends all of a cohort's sessions, enrolled yet or not); this check covers people enrolled in
two cohorts whose sessions overlap.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.models import Enrolment
from trainings.conflicts import HARD, Conflict, SessionPlan, register_checker

NAMES_SHOWN = 5


@register_checker
def participant_in_two_places(plan: SessionPlan) -> list[Conflict]:
    if plan.cohort.pk is None:
        return []
    ours = Enrolment.objects.filter(cohort=plan.cohort, status__in=Enrolment.ATTENDING_STATUSES).values(
        "participant_id"
    )
    clashes = list(
        plan.others()
        .exclude(cohort=plan.cohort)
        .filter(cohort__enrolments__participant__in=ours, cohort__enrolments__status__in=Enrolment.ATTENDING_STATUSES)
        .select_related("cohort")
        .distinct()
    )
    if not clashes:
        return []
    # Who is double-booked, cohort by cohort: one query whatever the number of people.
    shared = (
        Enrolment.objects.filter(
            cohort_id__in={s.cohort_id for s in clashes}, status__in=Enrolment.ATTENDING_STATUSES, participant__in=ours
        )
        .select_related("participant__user")
        .order_by("participant__user__last_name", "participant__user__first_name", "participant__user__email")
    )
    people_by_cohort: dict[int, list[str]] = {}
    for enrolment in shared:
        people_by_cohort.setdefault(enrolment.cohort_id, []).append(str(enrolment.participant.user))
    conflicts = []
    for other in clashes:
        people = people_by_cohort.get(other.cohort_id, [])
        names = ", ".join(people[:NAMES_SHOWN])
        if len(people) > NAMES_SHOWN:
            names = _("%(names)s and %(count)d more") % {"names": names, "count": len(people) - NAMES_SHOWN}
        message = ngettext(
            "%(count)d participant (%(names)s) is also in %(cohort)s: “%(title)s” %(when)s.",
            "%(count)d participants (%(names)s) are also in %(cohort)s: “%(title)s” %(when)s.",
            len(people),
        ) % {
            "count": len(people),
            "names": names,
            "cohort": other.cohort,
            "title": other.title,
            "when": plan.when(other),
        }
        conflicts.append(
            Conflict(
                code="participant_booked",
                severity=HARD,
                message=message,
                clashes_with=other,
                subject=f"participants:{plan.cohort.pk}",
            )
        )
    return conflicts
