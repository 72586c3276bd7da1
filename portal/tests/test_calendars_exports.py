"""The cohort schedule as CSV and XLSX (trainings/views/exports.py, through core.tabular)."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.tests.factories import ExerciseRunFactory, PhaseFactory
from tests.world import World, build_world
from trainings.models import Session
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

SOFIA = ZoneInfo("Europe/Sofia")
HEADERS = [
    "Start date",
    "Start time",
    "End date",
    "End time",
    "Time zone",
    "Title",
    "Room",
    "Video link",
    "Status",
    "Exercise",
    "Run status",
    "Planned phases",
    "Part of the run",
]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _export(client: Client, world: World, fmt: str | None = "csv", cohort=None):
    url = reverse("portal:cohort_schedule_export", kwargs={"slug": (cohort or world.cohort).slug})
    return client.get(url, {"format": fmt} if fmt else {})


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def staff(world: World) -> Client:
    client = Client()
    client.force_login(world.users["facilitator"])
    return client


def test_csv_lists_each_session_in_the_cohorts_local_time(world, staff):
    # Cohort B is in Sofia: its times come out in Sofia time, not in UTC nor in the server's zone.
    cohort = world.cohort_other
    starts_at = dt.datetime.combine(cohort.start_date, dt.time(10, 0), tzinfo=SOFIA)
    SessionFactory(
        cohort=cohort, title="Briefing", room="Hall", starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1)
    )
    client = Client()
    client.force_login(world.users["facilitator_other"])
    response = _export(client, world, cohort=cohort)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{cohort.slug}-schedule.csv"'
    rows = _csv_rows(response.content)
    assert rows[0] == HEADERS
    briefing = next(row for row in rows if row[5] == "Briefing")
    day = cohort.start_date.isoformat()
    assert briefing[:8] == [day, "10:00", day, "11:00", "Europe/Sofia", "Briefing", "Hall", ""]
    assert briefing[8] == "Scheduled"


def test_a_session_with_a_run_shows_its_exercise_and_planned_phases(world, staff):
    rows = _csv_rows(_export(staff, world).content)
    (simulation,) = rows[1:]
    assert simulation[5] == "Simulation"
    assert simulation[9] == world.exercise.name
    assert simulation[10] == world.run.get_status_display()
    assert simulation[11] == "09:00–09:15 Preparation; 09:15–09:45 Crisis phase"


def test_xlsx_holds_the_same_rows(world, staff):
    Session.objects.filter(pk=world.session.pk).update(status=Session.Status.CANCELLED)
    response = _export(staff, world, "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{world.cohort.slug}-schedule.xlsx"'
    rows = _xlsx_rows(response.content)
    assert list(rows[0]) == HEADERS
    (simulation,) = rows[1:]
    starts = world.session.starts_at.astimezone(world.cohort.tz)
    assert simulation[0].date() == starts.date()  # a real date cell, not text
    assert simulation[1] == starts.strftime("%H:%M")
    assert simulation[5] == "Simulation"
    assert simulation[8] == "Cancelled"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_looking_cells_are_neutralised(world, staff, fmt):
    Session.objects.filter(pk=world.session.pk).update(title='=HYPERLINK("http://evil.example","Click")', room="+1")
    response = _export(staff, world, fmt)
    rows = _csv_rows(response.content) if fmt == "csv" else _xlsx_rows(response.content)
    (row,) = rows[1:]
    assert row[5] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[6] == "'+1"


def test_the_default_is_csv_and_an_unknown_format_is_refused(world, staff):
    assert _export(staff, world, None)["Content-Type"] == "text/csv; charset=utf-8"
    response = _export(staff, world, "pdf")
    assert response.status_code == 400
    assert "choose csv or xlsx" in response.content.decode()


def test_people_of_another_cohort_get_404(world):
    client = Client()
    client.force_login(world.users["participant_other"])
    assert _export(client, world).status_code == 404


def _queries(client: Client, world: World) -> int:
    with CaptureQueriesContext(connection) as context:
        assert _export(client, world, "xlsx").status_code == 200
    return len(context.captured_queries)


def test_the_export_costs_the_same_queries_for_5_and_50_sessions(world, staff):
    def add(count: int) -> None:
        for index in range(count):
            starts_at = world.session.starts_at + dt.timedelta(hours=3, minutes=10 * index)
            session = SessionFactory(
                cohort=world.cohort, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=5)
            )
            PhaseFactory(exercise=ExerciseRunFactory(cohort=world.cohort, session=session).exercise)

    add(4)
    small = _queries(staff, world)
    add(45)
    assert len(_csv_rows(_export(staff, world).content)) == 1 + 50
    assert _queries(staff, world) == small
