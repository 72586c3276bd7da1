"""calendar_build: plain events in, iCalendar bytes out, read back with the icalendar library."""

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from portal.calendars import ical
from portal.calendars.ical import CalendarEvent, calendar_build

WARSAW = ZoneInfo("Europe/Warsaw")
SOFIA = ZoneInfo("Europe/Sofia")
CHANGED = dt.datetime(2026, 2, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)


def _event(**overrides: object) -> CalendarEvent:
    values: dict = {
        "uid": "session-1@concord.test",
        "summary": "Simulation",
        # 29 March 2026 is the day Warsaw moves to summer time (02:00 -> 03:00).
        "starts_at": dt.datetime(2026, 3, 29, 9, 0, tzinfo=WARSAW),
        "ends_at": dt.datetime(2026, 3, 29, 11, 0, tzinfo=WARSAW),
        "time_zone": "Europe/Warsaw",
        "sequence": 3,
        "last_modified": CHANGED,
        "location": "Room A, Training centre",
        "url": "https://meet.example.org/abc",
        "description": "Line one\nLine two, with a comma; and a semicolon",
    }
    values.update(overrides)
    return CalendarEvent(**values)


def _parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def test_an_event_reads_back_with_every_property():
    calendar = _parse(calendar_build(name="Warsaw 2026", uid="cohort-1@concord.test", events=[_event()]))
    assert str(calendar["PRODID"]).startswith("-//Concord//")
    assert str(calendar["X-WR-CALNAME"]) == "Warsaw 2026"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "session-1@concord.test"
    assert str(event["SUMMARY"]) == "Simulation"
    assert event["SEQUENCE"] == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Room A, Training centre"
    assert str(event["URL"]) == "https://meet.example.org/abc"
    assert str(event["DESCRIPTION"]) == "Line one\nLine two, with a comma; and a semicolon"
    # RFC 5545: LAST-MODIFIED in UTC; with no METHOD, DTSTAMP is the same moment.
    assert event.decoded("LAST-MODIFIED") == CHANGED.replace(microsecond=0)
    assert event.decoded("DTSTAMP") == CHANGED.replace(microsecond=0)


def test_times_carry_the_time_zone_and_a_matching_vtimezone():
    content = calendar_build(name="x", uid="x@concord.test", events=[_event()])
    assert b"DTSTART;TZID=Europe/Warsaw:20260329T090000" in content
    assert b"DTEND;TZID=Europe/Warsaw:20260329T110000" in content
    calendar = _parse(content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 3, 29, 9, 0, tzinfo=WARSAW)
    # After the switch to summer time: 07:00 UTC, not 08:00.
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert calendar.get_missing_tzids() == set()
    # The VTIMEZONE itself knows the summer offset, for programs that do not know the zone's name.
    assert {c.decoded("TZOFFSETTO") for c in calendar.walk("DAYLIGHT")} == {dt.timedelta(hours=2)}


def test_each_event_is_written_in_its_own_zone_with_one_vtimezone_per_zone():
    events = [
        _event(),
        _event(
            uid="session-2@concord.test",
            starts_at=dt.datetime(2026, 5, 4, 7, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC),
            time_zone="Europe/Sofia",
        ),
    ]
    content = calendar_build(name="x", uid="x@concord.test", events=events)
    assert b"DTSTART;TZID=Europe/Sofia:20260504T100000" in content
    assert sorted(tz["TZID"] for tz in _parse(content).walk("VTIMEZONE")) == ["Europe/Sofia", "Europe/Warsaw"]


def test_a_cancelled_event_says_so():
    (event,) = _parse(calendar_build(name="x", uid="x@c", events=[_event(cancelled=True)])).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_empty_values_are_left_out_and_an_empty_calendar_is_valid():
    (event,) = _parse(calendar_build(name="x", uid="x@c", events=[_event(location="", url="", description="")])).walk(
        "VEVENT"
    )
    assert "LOCATION" not in event
    assert "URL" not in event
    assert "DESCRIPTION" not in event
    empty = _parse(calendar_build(name="Nothing yet", uid="x@c", events=[]))
    assert empty.walk("VEVENT") == []
    assert str(empty["VERSION"]) == "2.0"


def test_the_same_schedule_gives_the_same_bytes():
    """No clock inside: an unchanged schedule is byte-identical, so feeds can answer 304."""
    first = calendar_build(name="x", uid="x@c", events=[_event()], refresh_interval=dt.timedelta(hours=1))
    second = calendar_build(name="x", uid="x@c", events=[_event()], refresh_interval=dt.timedelta(hours=1))
    assert first == second
    assert calendar_build(name="x", uid="x@c", events=[_event(sequence=4)]) != first


def test_a_feed_asks_to_be_refreshed():
    calendar = _parse(calendar_build(name="x", uid="x@c", events=[_event()], refresh_interval=dt.timedelta(hours=1)))
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)
    # An X- property reads back as text: it must be an iCalendar duration, not Python's "1:00:00".
    assert icalendar.vDuration.from_ical(str(calendar["X-PUBLISHED-TTL"])) == dt.timedelta(hours=1)


def test_the_builder_reads_no_database_and_needs_no_django():
    """Plain data in, bytes out: ``portal.calendars.ical`` imports nothing of Django or of Concord."""
    source = Path(ical.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"datetime", "collections", "dataclasses", "zoneinfo", "icalendar"}, imported
