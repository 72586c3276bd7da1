"""Planning writes that span domains: each calls trainings' primitive, then what it means elsewhere.

A larger cohort gives its new places to the waiting list (participants); a session is checked against
every schedule rule (exercises.conflicts.SCHEDULE_CHECKS) with the run it holds; a cancelled session's
people are told after the commit (portal.notices).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.models import User
from exercises.conflicts import SCHEDULE_CHECKS, run_in_session
from exercises.services import run_phases_follow_session
from participants.services import cohort_waitlist_promote
from portal.notices import session_cancelled_notices_queue
from trainings import services as trainings_services
from trainings.models import Cohort, Session


@transaction.atomic
def cohort_update(*, cohort: Cohort, data: Mapping[str, Any], by: User | None = None) -> Cohort:
    """Change a cohort; places freed by a larger capacity go to its waiting list in the same transaction."""
    old_capacity = cohort.capacity
    cohort = trainings_services.cohort_update(cohort=cohort, data=data)
    if cohort.capacity > old_capacity:
        cohort_waitlist_promote(cohort=cohort, by=by)
    return cohort


def session_create(
    *,
    cohort: Cohort,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    description: str = "",
    room: str = "",
    video_link: str = "",
) -> Session:
    return trainings_services.session_create(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        description=description,
        room=room,
        video_link=video_link,
        checks=SCHEDULE_CHECKS,
    )


@transaction.atomic
def session_update(*, session: Session, data: Mapping[str, Any]) -> Session:
    """Change a session; the run phases placed in it move with its start."""
    old_start = session.starts_at
    session = trainings_services.session_update(
        session=session, data=data, checks=SCHEDULE_CHECKS, run=run_in_session(session)
    )
    run_phases_follow_session(session=session, moved_by=session.starts_at - old_start)
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str = "") -> Session:
    """Cancel a session and, once that has committed, tell everyone expected in it."""
    session = trainings_services.session_cancel(session=session, reason=reason)
    session_cancelled_notices_queue(session=session, reason=reason.strip())
    return session


def session_reinstate(*, session: Session) -> Session:
    return trainings_services.session_reinstate(session=session, checks=SCHEDULE_CHECKS, run=run_in_session(session))
