"""A run over several sessions: placing its phases (run_phases_place), and what the agenda, the run
page, the export, the runs-long warning and the API show of each day's part (the calendars and a
session's move: portal/tests/test_run_parts.py)."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from core.exceptions import ApplicationError
from exercises import services
from exercises.conflicts import run_warnings, schedule_warnings
from exercises.models import ExerciseRun, RunPhase
from exercises.selectors import cohort_schedule, cohort_schedule_export_rows, exercise_run_parts
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, PhaseFactory, TeamRoleFactory
from exercises.timeline import phases_fill
from trainings.conflicts import ScheduleConflictError
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
DAY1 = dt.date(2030, 5, 13)
DAY2 = dt.date(2030, 5, 14)
API = "/api/v1"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WARSAW)


def cohort_of() -> Cohort:
    return CohortFactory(start_date=DAY1, end_date=DAY2, time_zone="Europe/Warsaw")


def two_days(cohort: Cohort) -> tuple[Session, Session]:
    return (
        SessionFactory(cohort=cohort, title="Day one", starts_at=at(DAY1, 9), ends_at=at(DAY1, 12)),
        SessionFactory(cohort=cohort, title="Day two", starts_at=at(DAY2, 9), ends_at=at(DAY2, 12)),
    )


def six_phases():  # type: ignore[no-untyped-def]
    exercise = ExerciseFactory(name="Two-day exercise", planned_minutes=360)
    phases = [
        PhaseFactory(exercise=exercise, order=order, name=f"Phase {order}", planned_minutes=60) for order in range(1, 7)
    ]
    TeamRoleFactory(exercise=exercise)
    return exercise, phases


@pytest.fixture
def plan():  # type: ignore[no-untyped-def]
    cohort = cohort_of()
    day1, day2 = two_days(cohort)
    exercise, phases = six_phases()
    run = services.exercise_run_create(exercise=exercise, cohort=cohort, session=day1)
    return cohort, day1, day2, run, phases, CoordinatorFactory()


def split(phases, day1, day2):  # type: ignore[no-untyped-def]
    """Phases 1–3 on day one from 09:00, 4–6 on day two from 09:00."""
    return [
        {"phase": phase, "session": day1 if i < 3 else day2, "planned_start": at(DAY1 if i < 3 else DAY2, 9 + i % 3)}
        for i, phase in enumerate(phases)
    ]


def placed(run: ExerciseRun) -> list[tuple[int | None, dt.datetime | None]]:
    return list(RunPhase.objects.filter(run=run).order_by("phase__order").values_list("session_id", "planned_start"))


# --- the pure parts -----------------------------------------------------------------------------


def test_phases_fill_moves_on_to_the_next_session_when_one_is_full(plan):
    _cohort, day1, day2, _run, phases, _by = plan
    filled = phases_fill(phases=phases, sessions=[day1, day2])
    assert [(session.pk, start) for _phase, session, start in filled] == [
        (day1.pk, at(DAY1, 9)),
        (day1.pk, at(DAY1, 10)),
        (day1.pk, at(DAY1, 11)),
        (day2.pk, at(DAY2, 9)),
        (day2.pk, at(DAY2, 10)),
        (day2.pk, at(DAY2, 11)),
    ]


def test_a_run_without_placements_keeps_its_phases_end_to_end_from_its_session(plan):
    _cohort, day1, _day2, run, _phases, _by = plan
    [part] = exercise_run_parts(run=run)
    assert part.session == day1
    assert [p.starts_at for p in part.phases] == [at(DAY1, h) for h in range(9, 15)]
    assert [p.overruns for p in part.phases] == [False, False, False, True, True, True]
    assert part.label == "Day 1: phases 1–6"


# --- the service ---------------------------------------------------------------------------------


def test_placing_phases_over_two_sessions(plan, django_capture_on_commit_callbacks):
    cohort, day1, day2, run, phases, by = plan
    version, run_sequence = cohort.schedule_version, run.sequence
    day2_sequence = day2.sequence
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    assert placed(run) == [(day1.pk, at(DAY1, h)) for h in (9, 10, 11)] + [(day2.pk, at(DAY2, h)) for h in (9, 10, 11)]
    run.refresh_from_db()
    cohort.refresh_from_db()
    day2.refresh_from_db()
    assert run.session == day1
    assert run.sequence > run_sequence
    assert cohort.schedule_version > version
    assert day2.sequence > day2_sequence  # its calendar event now names the exercise
    parts = exercise_run_parts(run=ExerciseRun.objects.get(pk=run.pk))
    assert [(part.session, part.label) for part in parts] == [
        (day1, "Day 1: phases 1–3"),
        (day2, "Day 2: phases 4–6"),
    ]
    assert not any(part.overruns for part in parts)
    assert run_warnings(run=run) == []


def test_the_runs_session_becomes_the_first_phases_session(plan):
    cohort, day1, day2, run, phases, by = plan
    day3 = SessionFactory(cohort=cohort, starts_at=at(DAY2, 14), ends_at=at(DAY2, 18))
    placements = [
        {"phase": phase, "session": day2 if i < 3 else day3, "planned_start": at(DAY2, 9 + i if i < 3 else 14 + i - 3)}
        for i, phase in enumerate(phases)
    ]
    services.run_phases_place(run=run, placements=placements, by=by)
    run.refresh_from_db()
    assert run.session == day2
    assert [part.session for part in exercise_run_parts(run=run)] == [day2, day3]
    # Day one is free again: another run may take it.
    services.exercise_run_create(exercise=ExerciseFactory(), cohort=cohort, session=day1)


def test_an_empty_placement_goes_back_to_the_default(plan):
    _cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    services.run_phases_place(run=ExerciseRun.objects.get(pk=run.pk), placements=[], by=by)
    assert placed(run) == [(None, None)] * 6
    [part] = exercise_run_parts(run=ExerciseRun.objects.get(pk=run.pk))
    assert part.session == day1


def _refused(run: ExerciseRun, placements, by) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    before = (placed(run), ExerciseRun.objects.values_list("session_id", "sequence").get(pk=run.pk))
    with pytest.raises(ApplicationError) as refused:
        services.run_phases_place(run=run, placements=placements, by=by)
    assert (placed(run), ExerciseRun.objects.values_list("session_id", "sequence").get(pk=run.pk)) == before
    return refused.value.field_errors


def test_refused_a_session_of_another_cohort(plan):
    _cohort, day1, _day2, run, phases, by = plan
    elsewhere = SessionFactory(starts_at=at(DAY2, 9), ends_at=at(DAY2, 12))
    placements = split(phases, day1, elsewhere)
    errors = _refused(run, placements, by)
    assert set(errors) == {f"phases.{phase.pk}" for phase in phases[3:]}
    assert "Choose a session of this run's cohort." in errors[f"phases.{phases[3].pk}"]


def test_refused_out_of_order(plan):
    _cohort, day1, day2, run, phases, by = plan
    placements = split(phases, day1, day2)
    placements[2]["planned_start"] = at(DAY1, 9, 30)  # before phase 2 ends at 11:00
    errors = _refused(run, placements, by)
    assert errors == {f"phases.{phases[2].pk}": ["The phase cannot start before the phase before it ends."]}
    # A later phase on an earlier day is out of order too.
    placements = split(phases, day2, day1)
    assert f"phases.{phases[3].pk}" in _refused(run, placements, by)


def test_refused_a_start_outside_its_session(plan):
    _cohort, day1, day2, run, phases, by = plan
    for start in (at(DAY2, 8), at(DAY2, 12), at(DAY1, 11, 30)):
        placements = split(phases, day1, day2)
        placements[3]["planned_start"] = start
        errors = _refused(run, placements, by)
        assert errors[f"phases.{phases[3].pk}"] == ["The phase must start inside its session."]


def test_refused_a_session_holding_another_run(plan):
    cohort, day1, day2, run, phases, by = plan
    ExerciseRunFactory(cohort=cohort, session=day2, exercise=ExerciseFactory(name="Tabletop"))
    errors = _refused(run, split(phases, day1, day2), by)
    assert errors[f"phases.{phases[3].pk}"] == ["“Day two” already holds “Tabletop”."]


def test_a_session_holding_phases_of_a_run_cannot_take_another(plan):
    cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    other_exercise, other_phases = six_phases()
    # Neither as its session ...
    with pytest.raises(ApplicationError) as refused:
        services.exercise_run_create(exercise=other_exercise, cohort=cohort, session=day2)
    assert refused.value.field_errors == {"session": ["This session already holds another exercise run."]}
    # ... nor for its phases.
    day3 = SessionFactory(cohort=cohort, starts_at=at(DAY2, 14), ends_at=at(DAY2, 20))
    other = services.exercise_run_create(exercise=other_exercise, cohort=cohort, session=day3)
    placements = [
        {"phase": phase, "session": day3 if i < 3 else day2, "planned_start": at(DAY2, 14 + i)}
        for i, phase in enumerate(other_phases)
    ]
    errors = _refused(other, placements, by)
    assert errors[f"phases.{other_phases[3].pk}"][0] == "“Day two” already holds “Two-day exercise”."


def test_refused_missing_twice_foreign_and_cancelled(plan):
    _cohort, day1, day2, run, phases, by = plan
    placements = split(phases, day1, day2)
    errors = _refused(run, placements[:5], by)
    assert errors == {f"phases.{phases[5].pk}": ["Place phase 6 too."]}
    errors = _refused(run, [*placements, placements[0]], by)
    assert errors == {f"phases.{phases[0].pk}": ["This phase is placed twice."]}
    foreign = PhaseFactory(exercise=ExerciseFactory(), order=1)
    errors = _refused(run, [*placements, {"phase": foreign, "session": day1, "planned_start": at(DAY1, 9)}], by)
    assert errors == {"phases": [f"{foreign.pk} is not a phase of this exercise."]}
    Session.objects.filter(pk=day2.pk).update(status=Session.Status.CANCELLED)
    errors = _refused(run, placements, by)
    assert errors[f"phases.{phases[3].pk}"] == ["“Day two” is cancelled; choose a scheduled session."]


def test_refused_to_a_facilitator_and_once_the_run_has_started(plan):
    cohort, day1, day2, run, phases, by = plan
    facilitator = FacilitatorFactory()
    cohort.facilitators.add(facilitator)
    with pytest.raises(ApplicationError, match="Only coordinators"):
        services.run_phases_place(run=run, placements=split(phases, day1, day2), by=facilitator)
    ExerciseRun.objects.filter(pk=run.pk).update(status=ExerciseRun.Status.RUNNING)
    with pytest.raises(ApplicationError, match="already running"):
        services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    assert placed(run) == []


def test_moving_the_run_to_another_session_clears_its_placement(plan):
    cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    day3 = SessionFactory(cohort=cohort, starts_at=at(DAY2, 13), ends_at=at(DAY2, 20))
    run = services.exercise_run_update(run=ExerciseRun.objects.get(pk=run.pk), data={"session": day3})
    assert placed(run) == [(None, None)] * 6
    [part] = exercise_run_parts(run=ExerciseRun.objects.get(pk=run.pk))
    assert part.session == day3


def test_a_lead_is_booked_by_the_sessions_a_runs_later_phases_are_placed_in(plan):
    _cohort, day1, day2, run, phases, by = plan
    lead = FacilitatorFactory()
    # Set directly (as for a lead who has since left the cohort), so only the run books them.
    ExerciseRun.objects.filter(pk=run.pk).update(lead_facilitator=lead)
    services.run_phases_place(run=ExerciseRun.objects.get(pk=run.pk), placements=split(phases, day1, day2), by=by)
    elsewhere = CohortFactory(start_date=DAY1, end_date=DAY2, venue="Sofia")
    other_session = SessionFactory(cohort=elsewhere, starts_at=at(DAY2, 10), ends_at=at(DAY2, 11))
    other = ExerciseRunFactory(cohort=elsewhere, session=None, exercise=ExerciseFactory(), lead_facilitator=lead)
    with pytest.raises(ScheduleConflictError) as refused:
        services.exercise_run_update(run=other, data={"session": other_session})
    [conflict] = refused.value.conflicts
    assert (conflict.code, conflict.clashes_with) == ("lead_facilitator_booked", day2)


# --- the runs-long warning, per session ------------------------------------------------------------


def test_the_runs_long_warning_compares_each_session_with_its_own_phases(plan):
    _cohort, day1, day2, run, phases, by = plan
    # Whole in day one, six hours do not fit three.
    assert [w.code for w in run_warnings(run=run)] == ["run_too_long"]
    assert [w.code for w in schedule_warnings(session=day1)] == ["run_too_long"]
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    assert schedule_warnings(session=day1) == []
    assert schedule_warnings(session=day2) == []
    # Day two's phases start at 09:30: the last ends at 12:30, half an hour after day two ends.
    placements = split(phases, day1, day2)
    for offset, row in enumerate(placements[3:]):
        row["planned_start"] = at(DAY2, 9 + offset, 30)
    services.run_phases_place(run=ExerciseRun.objects.get(pk=run.pk), placements=placements, by=by)
    assert schedule_warnings(session=day1) == []
    [warning] = schedule_warnings(session=day2)
    assert warning.code == "run_too_long"
    assert "needs 210 minutes" in warning.message
    assert "30 minutes long" in warning.message
    assert [w.code for w in run_warnings(run=ExerciseRun.objects.get(pk=run.pk))] == ["run_too_long"]


# --- the agenda, the export, the calendar ------------------------------------------------------------


def test_the_agenda_shows_each_days_part(plan, django_assert_max_num_queries):
    cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    with django_assert_max_num_queries(4):
        days = cohort_schedule(cohort=cohort)
    assert [[(e.session, e.run, e.part.label if e.part else None) for e in day.entries] for day in days] == [
        [(day1, run, "Day 1: phases 1–3")],
        [(day2, run, "Day 2: phases 4–6")],
    ]
    assert [p.phase for p in days[1].entries[0].phases] == phases[3:]
    client = Client()
    client.force_login(by)
    page = client.get(reverse("portal:cohort_agenda", kwargs={"slug": cohort.slug})).content.decode()
    assert "Day 1: phases 1–3" in page
    assert "Day 2: phases 4–6" in page


def test_the_agendas_query_count_does_not_grow_with_runs(plan, django_assert_max_num_queries):
    cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    for day in (DAY1, DAY2):
        session = SessionFactory(cohort=cohort, starts_at=at(day, 14), ends_at=at(day, 17))
        ExerciseRunFactory(cohort=cohort, session=session, exercise=six_phases()[0])
    with django_assert_max_num_queries(4):
        days = cohort_schedule(cohort=cohort)
    assert sum(len(day.entries) for day in days) == 4


def test_the_export_has_a_row_per_day_with_its_part(plan):
    cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    rows = cohort_schedule_export_rows(cohort=cohort)
    assert [(row.title, row.exercise, row.run_part) for row in rows] == [
        ("Day one", "Two-day exercise", "Day 1: phases 1–3"),
        ("Day two", "Two-day exercise", "Day 2: phases 4–6"),
    ]
    assert rows[1].phases == "09:00–10:00 Phase 4; 10:00–11:00 Phase 5; 11:00–12:00 Phase 6"
    client = Client()
    client.force_login(by)
    response = client.get(reverse("portal:cohort_schedule_export", kwargs={"slug": cohort.slug}), {"format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][-1] == "Part of the run"
    assert [row[-1] for row in table[1:]] == ["Day 1: phases 1–3", "Day 2: phases 4–6"]


# --- the page ------------------------------------------------------------------------------------


def _form(phases, day1, day2) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {}
    for i, phase in enumerate(phases):
        data[f"phase_{phase.pk}_session"] = (day1 if i < 3 else day2).pk
        data[f"phase_{phase.pk}_start"] = f"{9 + i % 3:02d}:00"
    return data


def test_the_plan_page_places_the_phases(plan):
    _cohort, day1, day2, run, phases, by = plan
    client = Client()
    client.force_login(by)
    url = reverse("exercises:run_plan", kwargs={"pk": run.pk})
    page = client.get(url)
    assert page.status_code == 200
    filled = client.get(url, {"fill": "1"})
    assert filled.context["form"].initial[f"phase_{phases[3].pk}_session"] == day2.pk
    response = client.post(url, _form(phases, day1, day2))
    assert response.status_code == 302
    assert placed(run) == [(day1.pk, at(DAY1, h)) for h in (9, 10, 11)] + [(day2.pk, at(DAY2, h)) for h in (9, 10, 11)]
    detail = client.get(run.get_absolute_url()).content.decode()
    assert "Day 2: phases 4–6" in detail
    assert url in detail


def test_the_plan_page_shows_the_services_refusal_next_to_the_phase(plan):
    _cohort, day1, day2, run, phases, by = plan
    client = Client()
    client.force_login(by)
    data = _form(phases, day1, day2)
    data[f"phase_{phases[4].pk}_start"] = "08:00"  # before phase 4 ends, and before day two starts
    response = client.post(reverse("exercises:run_plan", kwargs={"pk": run.pk}), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"phase_{phases[4].pk}_start"] == [
        "The phase must start inside its session."
    ]
    assert placed(run) == []


# --- the API -------------------------------------------------------------------------------------


def test_the_api_reads_the_placement(plan, api_client):
    _cohort, day1, day2, run, phases, by = plan
    services.run_phases_place(run=run, placements=split(phases, day1, day2), by=by)
    api_client.force_login(by)
    body = api_client.get(f"{API}/exercise-runs/{run.pk}/").json()
    assert [(row["phase"], row["session"], row["placed"]) for row in body["phases"]] == [
        (phase.pk, (day1 if i < 3 else day2).pk, True) for i, phase in enumerate(phases)
    ]
    assert dt.datetime.fromisoformat(body["phases"][3]["planned_start"]) == at(DAY2, 9)


def test_the_api_places_the_phases_whole(plan, api_client):
    _cohort, day1, day2, run, phases, by = plan
    api_client.force_login(by)
    rows = [
        {"phase": row["phase"].pk, "session": row["session"].pk, "planned_start": row["planned_start"].isoformat()}
        for row in split(phases, day1, day2)
    ]
    bad = [dict(row) for row in rows]
    bad[3]["planned_start"] = at(DAY2, 13).isoformat()
    refused = api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"phases": bad})
    assert refused.status_code == 400
    assert refused.json()[f"phases.{phases[3].pk}"] == ["The phase must start inside its session."]
    assert placed(run) == []
    response = api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"phases": rows})
    assert response.status_code == 200, response.content
    assert [row["session"] for row in response.json()["phases"]] == [day1.pk] * 3 + [day2.pk] * 3
    assert response.json()["warnings"] == []
    facilitator = FacilitatorFactory()
    run.cohort.facilitators.add(facilitator)
    api_client.force_login(facilitator)
    assert api_client.patch(f"{API}/exercise-runs/{run.pk}/", {"phases": []}).status_code == 403
