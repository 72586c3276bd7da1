"""Schedule conflicts: what a proposed session (and the exercise run it holds) clashes with.

Each app writes the checks it can make — trainings here: rooms, video links, the cohort's own
sessions and its facilitators (``TRAININGS_CHECKS``); participants: people; exercises: runs — and
``exercises.conflicts.SCHEDULE_CHECKS`` lists them all in one place. Services take the checks as a
parameter and call ``session_plan_check`` before saving: hard conflicts refuse the change with every
conflict listed; soft ones are saved and shown as warnings. The check first takes the plan's locks
(trainings.locks), so two writers that could clash check and save one after the other.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower, Trim
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exceptions import ApplicationError
from trainings import locks
from trainings.models import Cohort, Session

HARD = "hard"  # refused: nothing is saved
SOFT = "soft"  # saved, with a visible warning
SEVERITIES = ((HARD, "hard"), (SOFT, "soft"))


@dataclass(frozen=True)
class Conflict:
    code: str
    severity: str
    message: str  # translated, says who or what, where and when
    clashes_with: Session | None = None  # the other session, when there is one
    subject: str = ""  # who or what is double-booked ("user:12", "room:…"); with clashes_with, the identity

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD


@dataclass(frozen=True)
class SessionPlan:
    """A session as it is proposed: new (``session_pk`` None) or a change to an existing one."""

    cohort: Cohort
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str = ""
    video_link: str = ""
    session_pk: int | None = None
    run: Any | None = field(default=None, compare=False)  # an exercises.ExerciseRun held or to be held
    # Only the run changes (scheduled into the session, or a new lead): the session's time and
    # place stay, so the checks about them are not repeated.
    only_run: bool = False

    @classmethod
    def for_session(cls, session: Session, *, run: Any | None = None, only_run: bool = False) -> "SessionPlan":
        """The plan of a session; ``run``: the run it holds, passed in by a layer that knows runs."""
        return cls(
            cohort=session.cohort,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            room=session.room,
            video_link=session.video_link,
            session_pk=session.pk,
            run=run,
            only_run=only_run,
        )

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def effective_video_link(self) -> str:
        """A session without its own link meets on the cohort's."""
        return (self.video_link or self.cohort.video_link or "").strip()

    def others(self) -> Any:
        """Scheduled sessions overlapping the plan, the planned session itself left out."""
        queryset = Session.objects.scheduled().overlapping(self.starts_at, self.ends_at)
        if self.session_pk is not None:
            queryset = queryset.exclude(pk=self.session_pk)
        return queryset

    def when(self, session: Session) -> str:
        """Another session's day and times, said in this plan's cohort time zone."""
        return slot_text(session.starts_at, session.ends_at, tz=self.cohort.tz, zone_name=self.cohort.time_zone)


Checker = Callable[[SessionPlan], Iterable[Conflict]]


@dataclass(frozen=True)
class Check:
    checker: Checker
    # It concerns the run, so it also runs when only the run changes.
    checks_run: bool = False


def session_conflicts(*, plan: SessionPlan, checks: Sequence[Check]) -> list[Conflict]:
    """Every conflict of the plan, hard ones first; one per double-booked subject and other session."""
    seen: set[tuple[str, int | None]] = set()
    found: list[Conflict] = []
    for check in checks:
        if plan.only_run and not check.checks_run:
            continue
        for conflict in check.checker(plan):
            if conflict.subject:
                key = (conflict.subject, conflict.clashes_with.pk if conflict.clashes_with else None)
                if key in seen:
                    continue
                seen.add(key)
            found.append(conflict)
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        found, key=lambda c: (not c.is_hard, c.clashes_with.starts_at if c.clashes_with else far_future, c.code)
    )


class ScheduleConflictError(ApplicationError):
    """Hard conflicts refused the change; ``conflicts`` lists every one of them."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        message = ngettext(
            "This clashes with %(count)d other booking; nothing was saved.",
            "This clashes with %(count)d other bookings; nothing was saved.",
            len(conflicts),
        ) % {"count": len(conflicts)}
        super().__init__(message, field_errors={"conflicts": [c.message for c in conflicts]})
        self.conflicts = conflicts


def _facilitator_ids(cohort: Cohort) -> set[int]:
    """Read now, not from a prefetched list: another transaction may have changed them meanwhile."""
    if cohort.pk is None:
        return set()
    return set(Cohort.facilitators.through.objects.filter(cohort_id=cohort.pk).values_list("user_id", flat=True))


def plan_lock_keys(plan: SessionPlan) -> set[str]:
    """What the plan books: its cohort, its facilitators and run lead, its room and its video link."""
    keys = {locks.cohort_key(plan.cohort.pk)} if plan.cohort.pk is not None else set()
    people = set() if plan.only_run else _facilitator_ids(plan.cohort)
    lead_id = getattr(plan.run, "lead_facilitator_id", None) if plan.run is not None else None
    if lead_id is not None:
        people.add(lead_id)
    keys.update(locks.person_key(pk) for pk in people)
    if not plan.only_run:  # only the run changes: its session keeps its room and link
        keys.add(locks.room_key(venue=plan.cohort.venue or "", room=plan.room))
        keys.add(locks.video_link_key(plan.effective_video_link))
    return keys - {""}


def session_plan_lock(*, plan: SessionPlan) -> None:
    """Take the plan's locks until the transaction ends (a no-op on SQLite); before any row lock."""
    if not locks.enabled():
        return
    held: set[str] = set()
    # A cohort's facilitators change under the cohort's lock: once we hold it, read them again and
    # lock anyone added while we waited.
    while wanted := plan_lock_keys(plan) - held:
        locks.schedule_lock(wanted)
        held |= wanted


def session_plan_check(*, plan: SessionPlan, checks: Sequence[Check]) -> list[Conflict]:
    """Raise ``ScheduleConflictError`` when the plan has hard conflicts; return the soft ones.

    Call it inside the transaction that saves the plan: the locks it takes are held until then.
    """
    session_plan_lock(plan=plan)
    conflicts = session_conflicts(plan=plan, checks=checks)
    hard = [c for c in conflicts if c.is_hard]
    if hard:
        raise ScheduleConflictError(hard)
    return conflicts


def session_warnings(
    *, session: Session, checks: Sequence[Check], run: Any | None = None, only_run: bool = False
) -> list[Conflict]:
    """The soft conflicts of a saved session (e.g. a run that runs long), to show after saving."""
    if session.status != Session.Status.SCHEDULED:
        return []
    plan = SessionPlan.for_session(session, run=run, only_run=only_run)
    return [c for c in session_conflicts(plan=plan, checks=checks) if not c.is_hard]


def slot_text(starts_at: dt.datetime, ends_at: dt.datetime, *, tz: Any, zone_name: str) -> str:
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    day = formats.date_format(start, "DATE_FORMAT")
    if end.date() != start.date():
        return _("%(day)s %(start)s – %(end_day)s %(end)s (%(zone)s)") % {
            "day": day,
            "start": start.strftime("%H:%M"),
            "end_day": formats.date_format(end, "DATE_FORMAT"),
            "end": end.strftime("%H:%M"),
            "zone": zone_name,
        }
    return _("%(day)s %(start)s–%(end)s (%(zone)s)") % {
        "day": day,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "zone": zone_name,
    }


def person_name(user: Any) -> str:
    return str(user)


# --- the checks trainings can make itself ----------------------------------------------------


def cohort_sessions_overlap(plan: SessionPlan) -> list[Conflict]:
    """Every participant of a cohort attends all its sessions: two at once double-book them all."""
    clashes = plan.others().filter(cohort=plan.cohort).select_related("cohort")
    return [
        Conflict(
            code="cohort_overlap",
            severity=HARD,
            message=_("“%(title)s” of this cohort already takes place %(when)s: its participants cannot be in both.")
            % {"title": other.title, "when": plan.when(other)},
            clashes_with=other,
            subject=f"cohort:{plan.cohort.pk}",
        )
        for other in clashes
    ]


def room_taken(plan: SessionPlan) -> list[Conflict]:
    """The same room of the same venue (both compared ignoring case) for two cohorts at once."""
    room, venue = plan.room.strip(), (plan.cohort.venue or "").strip()
    if not room or not venue:
        return []
    clashes = (
        plan.others()
        .exclude(cohort=plan.cohort)  # the cohort's own overlaps are reported once, above
        # Compared trimmed and ignoring case: "Room 2 " at "training centre" is Room 2 at Training Centre.
        .annotate(room_key=Lower(Trim("room")), venue_key=Lower(Trim("cohort__venue")))
        .filter(room_key=room.lower(), venue_key=venue.lower())
        .select_related("cohort")
    )
    return [
        Conflict(
            code="room_taken",
            severity=HARD,
            message=_("Room “%(room)s” at %(venue)s is already booked %(when)s for %(cohort)s: “%(title)s”.")
            % {
                "room": other.room,
                "venue": venue,
                "when": plan.when(other),
                "cohort": other.cohort,
                "title": other.title,
            },
            clashes_with=other,
            subject=f"room:{venue.lower()}:{room.lower()}",
        )
        for other in clashes
    ]


def video_link_taken(plan: SessionPlan) -> list[Conflict]:
    """One video meeting cannot host two cohorts' sessions at once (a session without a link uses its cohort's)."""
    link = plan.effective_video_link
    if not link:
        return []
    clashes = (
        plan.others()
        .exclude(cohort=plan.cohort)
        .filter(Q(video_link=link) | Q(video_link="", cohort__video_link=link))
        .select_related("cohort")
    )
    return [
        Conflict(
            code="video_link_taken",
            severity=HARD,
            message=_("The video link %(link)s is already used %(when)s by %(cohort)s: “%(title)s”.")
            % {"link": link, "when": plan.when(other), "cohort": other.cohort, "title": other.title},
            clashes_with=other,
            subject=f"link:{link}",
        )
        for other in clashes
    ]


def facilitator_booked(plan: SessionPlan) -> list[Conflict]:
    """A cohort's facilitators (and the run's lead) are booked for every session of their other cohorts."""
    people: dict[int, Any] = {}
    if not plan.only_run and plan.cohort.pk is not None:
        # Not a prefetched list: facilitators added since the page loaded count too.
        people.update(
            (user.pk, user)
            for user in plan.cohort.facilitators.model.objects.filter(
                pk__in=Cohort.facilitators.through.objects.filter(cohort_id=plan.cohort.pk).values("user_id")
            )
        )
    lead = getattr(plan.run, "lead_facilitator", None) if plan.run is not None else None
    if lead is not None:
        people[lead.pk] = lead
    if not people:
        return []
    clashes = (
        plan.others()
        .exclude(cohort=plan.cohort)
        .filter(cohort__facilitators__in=list(people))
        .select_related("cohort")
        .prefetch_related("cohort__facilitators")
        .distinct()
    )
    conflicts = []
    for other in clashes:
        for user in other.cohort.facilitators.all():
            if user.pk not in people:
                continue
            conflicts.append(
                Conflict(
                    code="facilitator_booked",
                    severity=HARD,
                    message=_("Facilitator %(name)s is already booked %(when)s in %(cohort)s: “%(title)s”.")
                    % {
                        "name": person_name(user),
                        "when": plan.when(other),
                        "cohort": other.cohort,
                        "title": other.title,
                    },
                    clashes_with=other,
                    subject=f"user:{user.pk}",
                )
            )
    return conflicts


def cohort_new_facilitator_conflicts(*, cohort: Cohort, facilitators: Iterable[Any]) -> list[Conflict]:
    """People about to become facilitators of ``cohort`` who are booked in another cohort at one of its sessions.

    The session checks cover new sessions; this covers a facilitator added to a cohort afterwards.
    """
    if cohort.pk is None:
        return []
    current = set(cohort.facilitators.values_list("pk", flat=True))
    added = {user.pk: user for user in facilitators if user.pk not in current}
    if not added:
        return []
    ours = cohort.sessions.scheduled().filter(starts_at__lt=OuterRef("ends_at"), ends_at__gt=OuterRef("starts_at"))
    clashes = (
        Session.objects.scheduled()
        .exclude(cohort=cohort)
        .filter(Exists(ours), cohort__facilitators__in=list(added))
        .select_related("cohort")
        .prefetch_related("cohort__facilitators")
        .distinct()
        .order_by("starts_at")
    )
    conflicts = []
    for other in clashes:
        when = slot_text(other.starts_at, other.ends_at, tz=cohort.tz, zone_name=cohort.time_zone)
        for user in other.cohort.facilitators.all():
            if user.pk in added:
                conflicts.append(
                    Conflict(
                        code="facilitator_booked",
                        severity=HARD,
                        message=_(
                            "Facilitator %(name)s is already booked %(when)s in %(cohort)s: “%(title)s”, "
                            "while this cohort has a session."
                        )
                        % {"name": person_name(user), "when": when, "cohort": other.cohort, "title": other.title},
                        clashes_with=other,
                        subject=f"user:{user.pk}",
                    )
                )
    return conflicts


TRAININGS_CHECKS = (
    Check(cohort_sessions_overlap),
    Check(room_taken),
    Check(video_link_taken),
    Check(facilitator_booked, checks_run=True),
)
