"""Writes for the trainings catalogue: agencies, objectives, courses, cohorts and sessions.

Every function validates everything first and raises one ``ApplicationError`` with field errors,
so a refused request saves nothing (see core.services for the shared helpers).
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_coordinator, is_facilitator
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.services import Errors, country_code_errors, merge_errors, model_apply, model_full_clean, unique_slug
from trainings import locks
from trainings.conflicts import (
    TRAININGS_CHECKS,
    Check,
    SessionPlan,
    cohort_new_facilitator_conflicts,
    session_plan_check,
    session_plan_lock,
)
from trainings.models import Agency, Cohort, CohortMember, Course, DeliveryMode, LearningObjective, Session
from trainings.validators import validate_time_zone

# --- agencies --------------------------------------------------------------------------------

AGENCY_FIELDS = ("name", "kind", "country", "description")


@transaction.atomic
@audited("agency.create")
def agency_create(*, name: str, kind: str, country: str = "", description: str = "") -> Agency:
    agency = Agency(name=name, kind=kind, country=country.upper(), description=description)
    model_full_clean(instance=agency, errors=country_code_errors(country=country))
    agency.save()
    return agency


@transaction.atomic
@audited("agency.update", target="agency")
def agency_update(*, agency: Agency, data: Mapping[str, Any]) -> Agency:
    data = dict(data)
    if "country" in data:
        data["country"] = data["country"].upper()
    changed = model_apply(instance=agency, fields=AGENCY_FIELDS, data=data)
    model_full_clean(instance=agency, errors=country_code_errors(country=agency.country))
    if changed:
        agency.save(update_fields=[*changed, "updated_at"])
    return agency


# --- learning objectives ---------------------------------------------------------------------

OBJECTIVE_FIELDS = ("code", "title", "description", "category", "order")


@transaction.atomic
@audited("learning_objective.create")
def learning_objective_create(
    *, code: str, title: str, description: str = "", category: str = "", order: int = 0
) -> LearningObjective:
    objective = LearningObjective(code=code, title=title, description=description, category=category, order=order)
    model_full_clean(instance=objective)
    objective.save()
    return objective


@transaction.atomic
@audited("learning_objective.update", target="objective")
def learning_objective_update(*, objective: LearningObjective, data: Mapping[str, Any]) -> LearningObjective:
    changed = model_apply(instance=objective, fields=OBJECTIVE_FIELDS, data=data)
    model_full_clean(instance=objective)
    if changed:
        objective.save(update_fields=[*changed, "updated_at"])
    return objective


@transaction.atomic
@audited("learning_objective.retire", target="objective")
def learning_objective_retire(*, objective: LearningObjective) -> LearningObjective:
    """Retired objectives stay on the records that use them but are not offered for new ones."""
    if objective.is_active:
        objective.is_active = False
        objective.save(update_fields=["is_active", "updated_at"])
    return objective


# --- courses ---------------------------------------------------------------------------------

COURSE_FIELDS = ("title", "slug", "summary", "language")


def _objective_errors(objectives: Iterable[LearningObjective], *, already_linked: Iterable[int] = ()) -> Errors:
    linked = set(already_linked)
    retired = [o.code for o in objectives if not o.is_active and o.pk not in linked]
    if retired:
        return {
            "learning_objectives": [
                _("Retired objectives cannot be added: %(codes)s.") % {"codes": ", ".join(sorted(retired))}
            ]
        }
    return {}


@transaction.atomic
@audited("course.create")
def course_create(
    *,
    title: str,
    slug: str = "",
    summary: str = "",
    language: str = "en",
    learning_objectives: Sequence[LearningObjective] = (),
) -> Course:
    course = Course(title=title, slug=slug or unique_slug(Course, title), summary=summary, language=language)
    model_full_clean(instance=course, errors=_objective_errors(learning_objectives))
    course.save()
    course.learning_objectives.set(learning_objectives)
    return course


@transaction.atomic
@audited("course.update", target="course")
def course_update(*, course: Course, data: Mapping[str, Any]) -> Course:
    data = dict(data)
    objectives = data.pop("learning_objectives", None)
    changed = model_apply(instance=course, fields=COURSE_FIELDS, data=data)
    errors: Errors = {}
    if objectives is not None:
        linked = course.learning_objectives.values_list("pk", flat=True)
        errors = _objective_errors(objectives, already_linked=linked)
    model_full_clean(instance=course, errors=errors)
    if changed:
        course.save(update_fields=[*changed, "updated_at"])
    if objectives is not None:
        course.learning_objectives.set(objectives)
    return course


# --- cohorts ---------------------------------------------------------------------------------

COHORT_FIELDS = (
    "course",
    "name",
    "slug",
    "start_date",
    "end_date",
    "delivery_mode",
    "venue",
    "video_link",
    "time_zone",
    "capacity",
)


def _places_taken(cohort: Cohort) -> int:
    return CohortMember.objects.filter(cohort=cohort, holds_place=True).count()


def _capacity_errors(capacity: int | None, *, taken: int = 0) -> Errors:
    if capacity is None or capacity < 1:
        return {"capacity": [_("Capacity must be at least 1.")]}
    if capacity < taken:
        return {
            "capacity": [
                _("%(taken)d places are already taken; the capacity cannot be lower than that.") % {"taken": taken}
            ]
        }
    return {}


def _people_errors(*, coordinators: Iterable[User] | None, facilitators: Iterable[User] | None) -> Errors:
    errors: Errors = {}
    if coordinators is not None:
        wrong = [str(user) for user in coordinators if not is_coordinator(user)]
        if wrong:
            errors["coordinators"] = [
                _("Not a training coordinator: %(people)s.") % {"people": ", ".join(sorted(wrong))}
            ]
    if facilitators is not None:
        wrong = [str(user) for user in facilitators if not (is_facilitator(user) or is_coordinator(user))]
        if wrong:
            errors["facilitators"] = [_("Not a facilitator: %(people)s.") % {"people": ", ".join(sorted(wrong))}]
    return errors


def _sessions_outside_errors(cohort: Cohort) -> Errors:
    """After the dates or time zone of a cohort change, its sessions must still fall inside them."""
    if cohort.pk is None or not (cohort.start_date and cohort.end_date) or _time_zone_invalid(cohort.time_zone):
        return {}
    outside = [s for s in cohort.sessions.all() if _outside_dates(s.starts_at, s.ends_at, cohort)]
    if outside:
        return {
            "end_date": [
                _("%(count)d sessions would fall outside the cohort's dates; move them first.")
                % {"count": len(outside)}
            ]
        }
    return {}


def _time_zone_invalid(name: str) -> bool:
    try:
        validate_time_zone(name)
    except ValidationError:
        return True
    return False


@transaction.atomic
@audited("cohort.create")
def cohort_create(
    *,
    course: Course,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    time_zone: str,
    capacity: int,
    slug: str = "",
    delivery_mode: str = DeliveryMode.IN_PERSON,
    venue: str = "",
    video_link: str = "",
    coordinators: Sequence[User] = (),
    facilitators: Sequence[User] = (),
) -> Cohort:
    cohort = Cohort(
        course=course,
        name=name,
        slug=slug or unique_slug(Cohort, name),
        start_date=start_date,
        end_date=end_date,
        delivery_mode=delivery_mode,
        venue=venue,
        video_link=video_link,
        time_zone=time_zone,
        capacity=capacity,
    )
    errors = merge_errors(
        _capacity_errors(capacity), _people_errors(coordinators=coordinators, facilitators=facilitators)
    )
    model_full_clean(instance=cohort, errors=errors)
    cohort.save()
    cohort.coordinators.set(coordinators)
    cohort.facilitators.set(facilitators)
    return cohort


@transaction.atomic
@audited("cohort.update", target="cohort")
def cohort_update(*, cohort: Cohort, data: Mapping[str, Any]) -> Cohort:
    """Change a cohort. Raising its capacity frees places: portal.services.cohort_update gives them
    to the waiting list in the same transaction."""
    data = dict(data)
    coordinators = data.pop("coordinators", None)
    facilitators = data.pop("facilitators", None)
    if facilitators is not None:
        # Schedule writers take these locks (trainings.locks), so a session planned meanwhile for one
        # of these people elsewhere is seen below. Before the row lock, as every writer does.
        locks.schedule_lock([locks.cohort_key(cohort.pk), *(locks.person_key(user.pk) for user in facilitators)])
    # Enrolment takes the same lock, so the capacity cannot drop below a place taken meanwhile.
    Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk").get()
    changed = model_apply(instance=cohort, fields=COHORT_FIELDS, data=data)
    errors = _people_errors(coordinators=coordinators, facilitators=facilitators)
    if "capacity" in changed:
        errors = merge_errors(errors, _capacity_errors(cohort.capacity, taken=_places_taken(cohort)))
    if {"start_date", "end_date", "time_zone"} & set(changed):
        errors = merge_errors(errors, _sessions_outside_errors(cohort))
    if facilitators is not None and not errors.get("facilitators"):
        # A facilitator added now is booked for every session the cohort already has.
        booked = cohort_new_facilitator_conflicts(cohort=cohort, facilitators=facilitators)
        errors = merge_errors(errors, {"facilitators": [conflict.message for conflict in booked]})
    model_full_clean(instance=cohort, errors=errors)
    people_changed = False
    if coordinators is not None:
        people_changed |= _set_people(cohort.coordinators, coordinators)
    if facilitators is not None:
        people_changed |= _set_people(cohort.facilitators, facilitators)
    if changed or people_changed:
        cohort.save(update_fields=[*changed, "updated_at"])
        cohort_schedule_bump(cohort_ids=[cohort.pk])
    return cohort


def _set_people(relation: Any, people: Iterable[User]) -> bool:
    """Set a cohort's coordinators or facilitators; say whether anyone was added or removed."""
    before = set(relation.values_list("pk", flat=True))
    relation.set(people)
    return before != {person.pk for person in people}


# --- sessions --------------------------------------------------------------------------------

# Not ``status``: a session is cancelled by session_cancel (which tells its people) and scheduled
# again by session_reinstate (which checks the slot it takes back).
SESSION_FIELDS = ("title", "description", "starts_at", "ends_at", "room", "video_link")
# Changes to these are checked for conflicts (trainings.conflicts).
SESSION_PLAN_FIELDS = {"starts_at", "ends_at", "room", "video_link"}


def _outside_dates(starts_at: dt.datetime, ends_at: dt.datetime, cohort: Cohort) -> bool:
    tz = cohort.tz
    return starts_at.astimezone(tz).date() < cohort.start_date or ends_at.astimezone(tz).date() > cohort.end_date


def _session_errors(session: Session) -> Errors:
    starts_at, ends_at, cohort = session.starts_at, session.ends_at, session.cohort
    for value in (starts_at, ends_at):
        if value is not None and timezone.is_naive(value):
            raise ValueError("Session times must be timezone-aware.")
    if starts_at is None or ends_at is None:
        return {}
    if ends_at <= starts_at:
        return {"ends_at": [_("A session must end after it starts.")]}
    if _outside_dates(starts_at, ends_at, cohort):
        local = starts_at.astimezone(cohort.tz)
        field = "starts_at" if local.date() < cohort.start_date else "ends_at"
        message = _(
            "The session must take place within the cohort's dates, %(start)s to %(end)s (%(tz)s time); "
            "it is set for %(local)s to %(local_end)s."
        ) % {
            "start": formats.date_format(cohort.start_date, "DATE_FORMAT"),
            "end": formats.date_format(cohort.end_date, "DATE_FORMAT"),
            "tz": cohort.time_zone,
            "local": formats.date_format(local, "DATETIME_FORMAT"),
            "local_end": formats.date_format(ends_at.astimezone(cohort.tz), "DATETIME_FORMAT"),
        }
        return {field: [message]}
    return {}


@transaction.atomic
@audited("session.create")
def session_create(
    *,
    cohort: Cohort,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    description: str = "",
    room: str = "",
    video_link: str = "",
    checks: Sequence[Check] = TRAININGS_CHECKS,
) -> Session:
    """Plan a session; ``checks``: the schedule checks to pass (exercises.conflicts.SCHEDULE_CHECKS for all)."""
    session = Session(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        description=description,
        room=room,
        video_link=video_link,
    )
    model_full_clean(instance=session, errors=_session_errors(session))
    # Conflicts are judged before anything is saved; soft ones come back as warnings (session_warnings).
    session_plan_check(plan=SessionPlan.for_session(session), checks=checks)
    session.save()
    cohort_schedule_bump(cohort_ids=[session.cohort_id])
    return session


@transaction.atomic
@audited("session.update", target="session")
def session_update(
    *, session: Session, data: Mapping[str, Any], checks: Sequence[Check] = TRAININGS_CHECKS, run: Any = None
) -> Session:
    """Change a session; its ``sequence`` goes up so calendar clients replace their copy.

    ``run``: the exercise run the session holds, for the checks about it (passed by a layer that knows runs).
    """
    changed = model_apply(instance=session, fields=SESSION_FIELDS, data=data)
    model_full_clean(instance=session, errors=_session_errors(session))
    # A move (its run moves with it: phases are planned from the session's start) or a new place is
    # checked; a title or description change is not refused for clashes that were there before.
    if session.status == Session.Status.SCHEDULED and SESSION_PLAN_FIELDS & set(changed):
        session_plan_check(plan=SessionPlan.for_session(session, run=run), checks=checks)
    if changed:
        session.sequence = F("sequence") + 1  # type: ignore[assignment]  # resolved by the database
        session.save(update_fields=[*changed, "sequence", "updated_at"])
        session.refresh_from_db(fields=["sequence"])
        cohort_schedule_bump(cohort_ids=[session.cohort_id])
    return session


CANCEL_REASON_MAX = 1000


@transaction.atomic
@audited("session.cancel", target="session")
def session_cancel(*, session: Session, reason: str = "") -> Session:
    """Cancel a session; portal.services.session_cancel also tells its people.

    Its exercise run stays attached, so the coordinator can see what to reschedule.
    """
    reason = reason.strip()
    if len(reason) > CANCEL_REASON_MAX:
        raise ApplicationError(
            field_errors={"reason": [_("Keep the reason under %(limit)d characters.") % {"limit": CANCEL_REASON_MAX}]}
        )
    # Locked so that two coordinators cancelling at once send one set of emails.
    status = Session.objects.select_for_update().values_list("status", flat=True).get(pk=session.pk)
    if status == Session.Status.CANCELLED:
        raise ApplicationError(_("“%(title)s” is already cancelled.") % {"title": session.title})
    session.status = Session.Status.CANCELLED
    session.sequence = F("sequence") + 1  # type: ignore[assignment]  # resolved by the database
    session.save(update_fields=["status", "sequence", "updated_at"])
    session.refresh_from_db(fields=["sequence"])
    cohort_schedule_bump(cohort_ids=[session.cohort_id])
    return session


@transaction.atomic
@audited("session.reinstate", target="session")
def session_reinstate(*, session: Session, checks: Sequence[Check] = TRAININGS_CHECKS, run: Any = None) -> Session:
    """Schedule a cancelled session again, at its old time and place, with the run it still holds.

    It takes its slot back, so it is checked like a new booking: hard conflicts refuse it, soft ones
    come back as warnings (session_warnings).
    """
    # The slot's locks before the row's, in the order every schedule writer takes them.
    session_plan_lock(plan=SessionPlan.for_session(session, run=run))
    # Locked so that a cancellation and a reinstatement at once end in one state.
    status = Session.objects.select_for_update().values_list("status", flat=True).get(pk=session.pk)
    if status != Session.Status.CANCELLED:
        raise ApplicationError(_("“%(title)s” is not cancelled.") % {"title": session.title})
    session.status = Session.Status.SCHEDULED
    try:
        # The cohort's dates may have changed while it was cancelled.
        model_full_clean(instance=session, errors=_session_errors(session))
        session_plan_check(plan=SessionPlan.for_session(session, run=run), checks=checks)
    except ApplicationError:
        session.status = Session.Status.CANCELLED  # refused: the caller's copy stays as stored
        raise
    session.sequence = F("sequence") + 1  # type: ignore[assignment]  # resolved by the database
    session.save(update_fields=["status", "sequence", "updated_at"])
    session.refresh_from_db(fields=["sequence"])
    cohort_schedule_bump(cohort_ids=[session.cohort_id])
    return session


def cohort_schedule_bump(*, cohort_ids: Iterable[int] | QuerySet[Any]) -> None:
    """The cohorts' pages show something new: their staff, a session, a run or a run's exercise changed.

    Every writer of those calls this in its transaction (exercises' for runs and exercises), so the
    cohort page's cache, keyed on ``schedule_version``, is never stale. It leaves ``updated_at`` alone:
    calendars read that as the cohort's own last change.
    """
    ids = cohort_ids if isinstance(cohort_ids, QuerySet) else list(cohort_ids)
    Cohort.objects.filter(pk__in=ids).update(schedule_version=F("schedule_version") + 1)


# --- retention hold ---------------------------------------------------------------------------

RETENTION_HOLD_MAX = 1000


@transaction.atomic
@audited("cohort.retention_hold", target="cohort", fields=None)
def cohort_retention_hold(*, cohort: Cohort, by: User, reason: str) -> Cohort:
    """Keep the cohort's personal data past CONCORD_RETENTION_COHORT_DAYS, for the reason given.

    privacy's retention sweep skips a cohort while it has a reason. Holding a held cohort again
    replaces the reason and names the new holder. The reason is not copied into the audit trail: it
    may name people.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(field_errors={"reason": [_("Say why this cohort's personal data must be kept.")]})
    if len(reason) > RETENTION_HOLD_MAX:
        raise ApplicationError(
            field_errors={
                "reason": [
                    _("Keep the reason to %(max)d characters (it has %(count)d).")
                    % {"max": RETENTION_HOLD_MAX, "count": len(reason)}
                ]
            }
        )
    Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk").get()
    cohort.retention_hold, cohort.retention_held_by, cohort.retention_held_at = reason, by, timezone.now()
    # Not ``updated_at``: calendars read it as a change of the cohort itself, and a hold changes no date.
    cohort.save(update_fields=["retention_hold", "retention_held_by", "retention_held_at"])
    return cohort


@transaction.atomic
@audited("cohort.retention_release", target="cohort", fields=None)
def cohort_retention_release(*, cohort: Cohort, by: User) -> Cohort:
    """End a hold: the cohort's personal data is anonymised by the next sweep once it is due.

    ``by`` is the person releasing it; the audit entry names them as its actor (the request's person).
    """
    locked = Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("retention_hold", flat=True).get()
    if not locked:
        raise ApplicationError(_("This cohort's personal data is not held."))
    cohort.retention_hold, cohort.retention_held_by, cohort.retention_held_at = "", None, None
    cohort.save(update_fields=["retention_hold", "retention_held_by", "retention_held_at"])
    return cohort


# --- members ----------------------------------------------------------------------------------


def cohort_member_set(*, cohort_id: int, user_id: int, holds_place: bool | None) -> None:
    """Record that a person takes part in a cohort, and whether they take a place (None: no longer).

    Only participants' enrolment services call this, inside the transaction that changes the enrolment.
    """
    if holds_place is None:
        CohortMember.objects.filter(cohort_id=cohort_id, user_id=user_id).delete()
        return
    CohortMember.objects.update_or_create(cohort_id=cohort_id, user_id=user_id, defaults={"holds_place": holds_place})


def cohort_members_set(*, members: Iterable[tuple[int, int, bool | None]]) -> None:
    """``cohort_member_set`` for many people at once (a roster import): ``(cohort_id, user_id, holds_place)``.

    One insert-or-update and at most one delete; the last row for a person wins.
    """
    keep: dict[tuple[int, int], bool] = {}
    drop: set[tuple[int, int]] = set()
    for cohort_id, user_id, holds_place in members:
        key = (cohort_id, user_id)
        if holds_place is None:
            keep.pop(key, None)
            drop.add(key)
        else:
            drop.discard(key)
            keep[key] = holds_place
    if drop:
        condition = Q()
        for cohort_id, user_id in drop:
            condition |= Q(cohort_id=cohort_id, user_id=user_id)
        CohortMember.objects.filter(condition).delete()
    if keep:
        # In one order, so that two imports sharing people never wait for each other in a circle.
        CohortMember.objects.bulk_create(
            [CohortMember(cohort_id=c, user_id=u, holds_place=keep[(c, u)]) for c, u in sorted(keep)],
            update_conflicts=True,
            unique_fields=["cohort", "user"],
            update_fields=["holds_place"],
            batch_size=1000,
        )
