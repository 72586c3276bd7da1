"""A run over two sessions in the calendars (one event per day's part) and when a session moves."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from exercises import services
from exercises.models import ExerciseRun
from exercises.tests.test_run_plan import DAY1, DAY2, at, placed, plan, split
from portal import services as portal_services
from portal.calendars import selectors as calendars

pytestmark = pytest.mark.django_db

__all__ = ["plan"]  # the fixture, shared with exercises' tests


def test_placed_phases_move_with_their_session(plan):
    _cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    sequence = ExerciseRun.objects.get(pk=run.pk).sequence
    portal_services.session_update(session=day2, data={"starts_at": at(DAY2, 13), "ends_at": at(DAY2, 16)})
    assert placed(run)[3:] == [(day2.pk, at(DAY2, h)) for h in (13, 14, 15)]
    assert placed(run)[:3] == [(day1.pk, at(DAY1, h)) for h in (9, 10, 11)]
    assert ExerciseRun.objects.get(pk=run.pk).sequence > sequence


def _run_events(content: bytes) -> list[icalendar.Event]:
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    return [event for event in events if str(event["UID"]).startswith("run-")]


def test_the_run_ics_has_one_event_per_day(plan):
    cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    client = Client()
    client.force_login(by)
    response = client.get(reverse("portal:run_ics", kwargs={"pk": run.pk}))
    assert response.status_code == 200
    events = _run_events(response.content)
    assert [(str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [
        (calendars.run_uid(run.pk), at(DAY1, 9), at(DAY1, 12)),
        (f"run-{run.pk}-session-{day2.pk}@{calendars.site_host()}", at(DAY2, 9), at(DAY2, 12)),
    ]
    assert "Day 2: phases 4–6" in str(events[1]["SUMMARY"])
    assert "Phase 4" in str(events[1]["DESCRIPTION"])
    assert "Phase 1" not in str(events[1]["DESCRIPTION"])
    # The cohort's calendar: two sessions and two parts, with stable UIDs.
    cohort_events = calendars.calendar_cohort_events(cohort=cohort)
    assert len(cohort_events) == 4
    assert [e.uid for e in calendars.calendar_cohort_events(cohort=cohort)] == [e.uid for e in cohort_events]
    # A change to day two raises its part's SEQUENCE.
    sequences = {e.uid: e.sequence for e in cohort_events}
    portal_services.session_update(session=day2, data={"starts_at": at(DAY2, 10), "ends_at": at(DAY2, 13)})
    after = {e.uid: e.sequence for e in calendars.calendar_cohort_events(cohort=cohort)}
    part_uid = f"run-{run.pk}-session-{day2.pk}@{calendars.site_host()}"
    assert after[part_uid] > sequences[part_uid]
