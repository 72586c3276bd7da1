"""Schedule checks about people taking part (``PARTICIPANTS_CHECKS``, listed in exercises.conflicts.SCHEDULE_CHECKS).

Two overlapping sessions of the same cohort are refused by trainings itself (every member
attends all of a cohort's sessions, enrolled yet or not); this module covers people attending
two cohorts whose sessions overlap, from both sides: a session planned into a cohort whose people
attend another one at that time (``participant_in_two_places``), and a person about to attend a
cohort while another cohort of theirs meets at the same time (``participants_session_clashes``,
asked by enrolments, status changes, the waiting list and the roster import). Both ask the same
two queries below.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.models import Enrolment
from trainings.conflicts import HARD, Check, Conflict, SessionPlan, slot_text
from trainings.models import Cohort, Session

NAMES_SHOWN = 5


def _attended_elsewhere(sessions: QuerySet[Session], *, cohort: Cohort, participants: Any) -> QuerySet[Session]:
    """Of ``sessions``, those of cohorts other than ``cohort`` that any of ``participants`` attends
    (invited or enrolled there); ``participants`` is anything ``participant__in`` takes."""
    return (
        sessions.exclude(cohort=cohort)
        .filter(
            cohort__enrolments__participant__in=participants,
            cohort__enrolments__status__in=Enrolment.ATTENDING_STATUSES,
        )
        .select_related("cohort")
        .distinct()
    )


def _attendees_by_cohort(*, cohort_ids: Iterable[int], participants: Any) -> dict[int, list[Enrolment]]:
    """Which of ``participants`` attend each of these cohorts, by name: one query whatever the number of people."""
    shared = (
        Enrolment.objects.filter(
            cohort_id__in=set(cohort_ids), status__in=Enrolment.ATTENDING_STATUSES, participant__in=participants
        )
        .select_related("participant__user")
        .order_by("participant__user__last_name", "participant__user__first_name", "participant__user__email")
    )
    by_cohort: dict[int, list[Enrolment]] = {}
    for enrolment in shared:
        by_cohort.setdefault(enrolment.cohort_id, []).append(enrolment)
    return by_cohort


# --- a session planned into a cohort ---------------------------------------------------------


def participant_in_two_places(plan: SessionPlan) -> list[Conflict]:
    if plan.cohort.pk is None:
        return []
    ours = Enrolment.objects.filter(cohort=plan.cohort, status__in=Enrolment.ATTENDING_STATUSES).values(
        "participant_id"
    )
    clashes = list(_attended_elsewhere(plan.others(), cohort=plan.cohort, participants=ours))
    if not clashes:
        return []
    people_by_cohort = _attendees_by_cohort(cohort_ids={s.cohort_id for s in clashes}, participants=ours)
    conflicts = []
    for other in clashes:
        people = [str(enrolment.participant.user) for enrolment in people_by_cohort.get(other.cohort_id, [])]
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


# --- a person about to attend a cohort -------------------------------------------------------


def participants_session_clashes(*, cohort: Cohort, participants: Any) -> dict[int, list[Session]]:
    """Participant id -> the scheduled sessions of their other cohorts (where they are invited or
    enrolled) that overlap a scheduled session of ``cohort``, in time order; people free to attend
    are left out.

    ``participants`` is anything ``participant__in`` takes (participants, ids, a ``values()``
    subquery). Two queries whatever the number of people.
    """
    if cohort.pk is None or (isinstance(participants, list | tuple | set) and not participants):
        return {}
    ours = cohort.sessions.scheduled().filter(starts_at__lt=OuterRef("ends_at"), ends_at__gt=OuterRef("starts_at"))
    theirs = list(
        _attended_elsewhere(
            Session.objects.scheduled().filter(Exists(ours)), cohort=cohort, participants=participants
        ).order_by("starts_at", "pk")
    )
    if not theirs:
        return {}
    by_cohort = _attendees_by_cohort(cohort_ids={s.cohort_id for s in theirs}, participants=participants)
    clashes: dict[int, list[Session]] = {}
    for session in theirs:
        for enrolment in by_cohort.get(session.cohort_id, []):
            clashes.setdefault(enrolment.participant_id, []).append(session)
    return clashes


def participant_session_clashes(*, participant: Any, cohort: Cohort) -> list[Session]:
    """The sessions of another cohort ``participant`` attends that overlap ``cohort``'s sessions."""
    if participant.pk is None:
        return []
    return participants_session_clashes(cohort=cohort, participants=[participant.pk]).get(participant.pk, [])


def session_clash_messages(*, cohort: Cohort, sessions: Iterable[Session]) -> list[str]:
    """One line per clashing session, its time said in ``cohort``'s time zone (``cohort`` is the one joined)."""
    return [
        _("Already attending %(cohort)s at the same time: “%(session)s” %(when)s.")
        % {
            "cohort": session.cohort,
            "session": session.title,
            "when": slot_text(session.starts_at, session.ends_at, tz=cohort.tz, zone_name=cohort.time_zone),
        }
        for session in sessions
    ]


def cohort_waitlist_clashes(*, cohort: Cohort) -> dict[int, list[str]]:
    """Enrolment id -> why a person on ``cohort``'s waiting list cannot move up now (their other
    cohort meets at the same time); people who can move up are left out. Three queries."""
    waiting = Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.WAITLISTED)
    clashes = participants_session_clashes(cohort=cohort, participants=waiting.values("participant_id"))
    if not clashes:
        return {}
    return {
        enrolment_id: session_clash_messages(cohort=cohort, sessions=clashes[participant_id])
        for enrolment_id, participant_id in waiting.filter(participant_id__in=list(clashes)).values_list(
            "pk", "participant_id"
        )
    }


PARTICIPANTS_CHECKS = (Check(participant_in_two_places),)
