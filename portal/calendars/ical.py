"""iCalendar building: plain ``CalendarEvent`` values in, bytes out. No database and no Django here.

Every session and every scheduled exercise run is one event. Its UID never changes, so when a
session moves, calendar programs move their copy instead of adding a second one; ``SEQUENCE`` only
goes up. Cancelled events stay in the calendar with ``STATUS:CANCELLED`` so that subscribers see the
cancellation.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Concord//Training calendar//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime  # aware
    time_zone: str  # the IANA zone the times are written in (TZID), e.g. the cohort's
    sequence: int
    last_modified: dt.datetime  # aware
    cancelled: bool = False
    location: str = ""
    url: str = ""
    description: str = ""


def calendar_build(
    *, name: str, uid: str, events: Sequence[CalendarEvent], refresh_interval: dt.timedelta | None = None
) -> bytes:
    """One iCalendar object holding ``events``, with a VTIMEZONE for every time zone they use.

    The output depends on its arguments only (no "now"): DTSTAMP is the event's last change, as
    RFC 5545 asks of a calendar without a METHOD, so an unchanged schedule gives the same bytes.
    """
    calendar = icalendar.Calendar.new(name=name, prodid=PRODID, uid=uid)
    if refresh_interval is not None:
        calendar.refresh_interval = refresh_interval
        calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(refresh_interval))  # the same hint for Outlook and Apple
    for event in events:
        zone = ZoneInfo(event.time_zone)
        last_modified = event.last_modified.astimezone(dt.UTC).replace(microsecond=0)
        calendar.add_component(
            icalendar.Event.new(
                uid=event.uid,
                summary=event.summary,
                start=event.starts_at.astimezone(zone),
                end=event.ends_at.astimezone(zone),
                sequence=event.sequence,
                stamp=last_modified,
                last_modified=last_modified,
                status="CANCELLED" if event.cancelled else "CONFIRMED",  # type: ignore[arg-type]
                location=event.location or None,
                url=event.url or None,
                description=event.description or None,
            )
        )
    if events:
        # VTIMEZONE rules from 1 January before the first event to 1 January after the last one:
        # enough for every event, and the same text while the schedule stays within those years.
        first = min(event.starts_at for event in events).year
        last = max(event.ends_at for event in events).year
        calendar.add_missing_timezones(first_date=dt.date(first - 1, 1, 1), last_date=dt.date(last + 1, 1, 1))
    return calendar.to_ical()
