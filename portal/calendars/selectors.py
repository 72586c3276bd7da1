"""What a calendar holds: sessions and runs read in a fixed number of queries and turned into events
(``portal.calendars.ical`` builds the bytes), and the reads that find and list feeds.

A session's UID is ``session-<pk>@<host>`` and a run's ``run-<pk>@<host>``; ``SEQUENCE`` is the
session's ``sequence``, which the scheduling services bump on every change (for a run: its own
``sequence`` plus its session's, see exercises.services). Cancelled sessions and runs keep their event,
marked cancelled, with the word in the title for programs that ignore the status.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from accounts.roles import is_coordinator
from exercises.models import ExerciseRun, RunPhase
from exercises.selectors import placements_prefetch, runs_by_session, team_membership_list_for_user
from exercises.timeline import RunPart
from portal.calendars.ical import CalendarEvent, calendar_build
from portal.models import CalendarFeed
from trainings import access
from trainings.models import Cohort, DeliveryMode, Session

# How often subscribed calendar programs should fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)

# --- selection: sessions and runs as events ----------------------------------------------------


def site_host() -> str:
    """The host part of UIDs: stable for one installation, different between installations."""
    return urlsplit(settings.SITE_URL).hostname or "concord.invalid"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def session_uid(session_id: int) -> str:
    return f"session-{session_id}@{site_host()}"


def run_uid(run_id: int) -> str:
    return f"run-{run_id}@{site_host()}"


def run_part_uid(run: ExerciseRun, session_id: int) -> str:
    """A run's event in one session: the part in its first session keeps the run's own UID (what a
    single-session run always had); a later day's part is named by the run and its session."""
    if session_id == run.session_id:
        return run_uid(run.pk)
    return f"run-{run.pk}-session-{session_id}@{site_host()}"


def _sessions() -> QuerySet[Session]:
    """Sessions with what their events show (their runs come from ``_runs_by_session``)."""
    return Session.objects.select_related("cohort").order_by("starts_at", "pk")


def _runs_by_session(sessions: list[Session]) -> dict[int, tuple[ExerciseRun, RunPart | None]]:
    """Session id -> the run with phases in it and its part there: four queries for any number of sessions.

    A run over several sessions has a part (and an event) in each.
    """
    ids = [session.pk for session in sessions]
    if not ids:
        return {}
    runs = (
        ExerciseRun.objects.filter(
            Q(session_id__in=ids) | Q(pk__in=RunPhase.objects.filter(session_id__in=ids).values("run_id"))
        )
        .select_related("exercise", "lead_facilitator", "session")
        .prefetch_related("exercise__phases", placements_prefetch())
    )
    return runs_by_session(runs)


def _place(session: Session) -> tuple[str, str]:
    """(location, video link): the room and the cohort's venue, and the session's or cohort's link."""
    cohort = session.cohort
    venue = cohort.venue if cohort.delivery_mode != DeliveryMode.ONLINE else ""
    video_link = session.video_link
    if not video_link and cohort.delivery_mode != DeliveryMode.IN_PERSON:
        video_link = cohort.video_link
    location = ", ".join(part for part in (session.room, venue) if part)
    # Online only: the link is where it happens, and calendar programs make it clickable.
    return location or video_link, video_link


def _hm(value: dt.datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%H:%M")


def _summary(title: str, cancelled: bool) -> str:
    return _("Cancelled: %(title)s") % {"title": title} if cancelled else title


def _session_event(session: Session, run: ExerciseRun | None) -> CalendarEvent:
    cohort = session.cohort
    location, video_link = _place(session)
    cancelled = session.status == Session.Status.CANCELLED
    lines = [_("Cohort: %(cohort)s") % {"cohort": cohort.name}]
    if cancelled:
        lines.append(_("This session is cancelled."))
    if session.description:
        lines += ["", session.description]
    if run is not None:
        lines += ["", _("Exercise: %(name)s") % {"name": run.exercise.name}]
    if video_link:
        lines.append(_("Video link: %(url)s") % {"url": video_link})
    lines.append(_("Details: %(url)s") % {"url": site_url(session.get_absolute_url())})
    changed = [session.updated_at, cohort.updated_at]
    return CalendarEvent(
        uid=session_uid(session.pk),
        summary=_summary(session.title, cancelled),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=cohort.time_zone,
        sequence=session.sequence,
        last_modified=max(changed),
        cancelled=cancelled,
        location=location,
        url=video_link,
        description="\n".join(lines),
    )


def _run_event(session: Session, run: ExerciseRun, part: RunPart | None, team: str) -> CalendarEvent:
    """The run's planned window in one session: its part there (phase after phase), or, for a run
    without phases, its planned duration from the session's start."""
    cohort, exercise = session.cohort, run.exercise
    zone = cohort.tz
    location, video_link = _place(session)
    cancelled = session.status == Session.Status.CANCELLED or run.status == ExerciseRun.Status.CANCELLED
    several = part is not None and part.count > 1
    lines = [
        _("Exercise: %(name)s (%(kind)s)") % {"name": exercise.name, "kind": exercise.get_kind_display()},
        _("Session: %(title)s") % {"title": session.title},
        _("Cohort: %(cohort)s") % {"cohort": cohort.name},
    ]
    if several:
        lines.append(part.label)  # type: ignore[union-attr]  # several implies a part
    if cancelled:
        lines.append(_("This exercise run is cancelled."))
    if team:
        lines.append(_("Your team: %(team)s") % {"team": team})
    if run.lead_facilitator is not None:
        lines.append(_("Lead facilitator: %(name)s") % {"name": run.lead_facilitator})
    planned = part.phases if part is not None else []
    if planned:
        lines += ["", _("Planned phases:")]
    for item in planned:
        lines.append(
            _("%(start)s–%(end)s %(phase)s (%(minutes)d min)")
            % {
                "start": _hm(item.starts_at, zone),
                "end": _hm(item.ends_at, zone),
                "phase": item.phase.name,
                "minutes": item.phase.planned_minutes,
            }
        )
    if video_link:
        lines += ["", _("Video link: %(url)s") % {"url": video_link}]
    lines.append(_("Details: %(url)s") % {"url": site_url(run.get_absolute_url())})
    title = _("Exercise: %(name)s") % {"name": exercise.name}
    if several:
        title = f"{title} · {part.label}"  # type: ignore[union-attr]
    starts_at = part.starts_at if part is not None else session.starts_at
    ends_at = part.ends_at if part is not None else session.starts_at + dt.timedelta(minutes=exercise.planned_minutes)
    return CalendarEvent(
        uid=run_part_uid(run, session.pk),
        summary=_summary(title, cancelled),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=cohort.time_zone,
        # Both counters only go up, and a run changing session absorbs the old session's count
        # (exercises.services.runs._run_sequence_bump): the sum never goes down for the run's UID.
        sequence=run.sequence + session.sequence,
        last_modified=max(session.updated_at, cohort.updated_at, run.updated_at),
        cancelled=cancelled,
        location=location,
        url=video_link,
        description="\n".join(lines),
    )


def calendar_events(
    *, sessions: Iterable[Session], teams: dict[int, str] | None = None, runs_only: bool = False
) -> list[CalendarEvent]:
    """Events for sessions loaded by ``_sessions()``: each session, then the run's part in it.

    ``teams`` maps run ids to the name of the reader's own team, for a person's calendar.
    """
    teams = teams or {}
    sessions = list(sessions)
    held = _runs_by_session(sessions)
    events = []
    for session in sessions:
        run, part = held.get(session.pk, (None, None))
        if not runs_only:
            events.append(_session_event(session, run))
        if run is not None:
            events.append(_run_event(session, run, part, teams.get(run.pk, "")))
    return events


def _team_names(user: Any, cohort_ids: Iterable[int]) -> dict[int, str]:
    """The user's own team in each run, by name only: a briefing never goes into a calendar.

    Teams come only from exercises' selector, the list side of ``exercises.view_team_briefing``, so a
    calendar names a team once the person may read its briefing (the teams are confirmed).
    """
    memberships = team_membership_list_for_user(user=user).filter(run__cohort_id__in=list(cohort_ids))
    return {membership.run_id: str(membership.team) for membership in memberships}


def calendar_cohort_events(*, cohort: Cohort, person: Any = None) -> list[CalendarEvent]:
    """A cohort's whole schedule; with ``person``, their team is named in the runs' descriptions."""
    teams = _team_names(person, [cohort.pk]) if person is not None else {}
    return calendar_events(sessions=_sessions().filter(cohort=cohort), teams=teams)


def calendar_person_events(*, user: Any) -> list[CalendarEvent]:
    """Every session and run of the cohorts the person takes part in or runs (``trainings.access``)."""
    cohort_ids = access.visible_cohort_ids(user)
    if not cohort_ids:
        return []
    teams = _team_names(user, cohort_ids)
    return calendar_events(sessions=_sessions().filter(cohort_id__in=cohort_ids), teams=teams)


def calendar_session_events(*, session: Session, person: Any = None) -> list[CalendarEvent]:
    """One session and the run it holds (for a one-off download)."""
    teams = _team_names(person, [session.cohort_id]) if person is not None else {}
    return calendar_events(sessions=_sessions().filter(pk=session.pk), teams=teams)


def calendar_run_events(*, run: ExerciseRun, person: Any = None) -> list[CalendarEvent]:
    """One exercise run, an event per session it has phases in; empty while it is not in a session."""
    if run.session_id is None:
        return []
    teams = _team_names(person, [run.cohort_id]) if person is not None else {}
    placed = RunPhase.objects.filter(run=run, session__isnull=False).values("session_id")
    sessions = _sessions().filter(Q(pk=run.session_id) | Q(pk__in=placed))
    # A session holds one run's phases (exercises.services.runs), so these are this run's events.
    return calendar_events(sessions=sessions, teams=teams, runs_only=True)


def calendar_cohort_ics(*, cohort: Cohort, person: Any) -> bytes:
    """A cohort's whole schedule to import once; ``person``'s team is named in their runs."""
    return calendar_build(
        name=cohort.name,
        uid=f"cohort-{cohort.pk}@{site_host()}",
        events=calendar_cohort_events(cohort=cohort, person=person),
    )


def calendar_session_ics(*, session: Session, person: Any) -> bytes:
    """One session and the run it holds, to import once."""
    return calendar_build(
        name=session.title,
        uid=session_uid(session.pk),
        events=calendar_session_events(session=session, person=person),
    )


def calendar_run_ics(*, run: ExerciseRun, person: Any) -> bytes | None:
    """One exercise run to import once; None while it is not in a session (it has no time yet)."""
    events = calendar_run_events(run=run, person=person)
    if not events:
        return None
    return calendar_build(name=run.exercise.name, uid=run_uid(run.pk), events=events)


def calendar_feed_content(*, feed: CalendarFeed) -> bytes:
    """The iCalendar a live feed serves: its cohort's schedule (naming no team), or its person's."""
    cohort, user = feed.cohort, feed.user
    if cohort is not None:
        return calendar_build(
            name=_("%(cohort)s · Concord") % {"cohort": cohort.name},
            uid=f"cohort-{cohort.pk}@{site_host()}",
            events=calendar_cohort_events(cohort=cohort),
            refresh_interval=REFRESH_INTERVAL,
        )
    # Nobody signs in to fetch a feed: a person's calendar speaks their preferred language.
    with translation.override(user_language(user, fallback=translation.get_language())):
        return calendar_build(
            name=_("My training · Concord"),
            uid=f"person-{feed.user_id}@{site_host()}",
            events=calendar_person_events(user=user),
            refresh_interval=REFRESH_INTERVAL,
        )


# --- feeds: the subscription addresses -----------------------------------------------------------


def calendar_feed_get_live(*, token: str) -> CalendarFeed | None:
    """The live feed behind a token. A revoked token, or one of a deactivated person, finds nothing."""
    feed = CalendarFeed.objects.select_related("cohort", "user").filter(token=token, revoked_at__isnull=True).first()
    if feed is None or (feed.user is not None and not feed.user.is_active):
        return None
    return feed


def calendar_feed_visible_list(*, user: Any) -> QuerySet[CalendarFeed]:
    """Live feeds the user may see: their own, and (for coordinators) every cohort's.

    Mirrors the ``portal.view_calendarfeed`` rule (a test keeps the two in step).
    """
    if not (user.is_authenticated and user.is_active):
        return CalendarFeed.objects.none()
    visible = Q(user=user)
    if is_coordinator(user):
        visible |= Q(cohort__isnull=False)
    return (
        CalendarFeed.objects.filter(visible, revoked_at__isnull=True)
        .select_related("cohort", "user")
        .order_by("cohort__name", "pk")
    )


def calendar_feed_live_for_user(*, user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_live_for_cohort(*, cohort: Cohort) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(cohort=cohort, revoked_at__isnull=True).first()


def calendar_feed_url(*, feed: CalendarFeed) -> str:
    """The address to fetch the feed over the web (https on a real installation)."""
    return site_url(reverse("portal:calendar_feed", kwargs={"slug": feed.token}))


def calendar_feed_webcal_url(*, feed: CalendarFeed) -> str:
    """The same address as ``webcal://``: a click on it opens the calendar program's subscribe dialog."""
    return "webcal://" + calendar_feed_url(feed=feed).split("://", 1)[1]
