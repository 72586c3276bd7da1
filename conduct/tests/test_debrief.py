"""The run's timeline and summary from the database: the hand-made run's figures, query counts, pages, API."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct import selectors
from conduct.models import RunEvent
from conduct.tests import debrief_scenario as scenario
from conduct.tests.debrief_scenario import at
from conduct.tests.factories import (
    HotwashItemFactory,
    InjectDeliveryFactory,
    InjectReleaseFactory,
    MessageFactory,
    MessageRecipientFactory,
    ObservationFactory,
)
from exercises.models import ExerciseRun, RunPhase
from exercises.tests.factories import (
    CellRoleFactory,
    CourseExerciseFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    InjectFactory,
    PhaseFactory,
    RunTeamFactory,
    TeamRoleFactory,
)
from participants.tests.factories import EnrolmentFactory
from trainings.models import LearningObjective
from trainings.tests.factories import CohortFactory, CourseFactory, LearningObjectiveFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _hand_made_run(*, extra_teams: int = 0) -> tuple[ExerciseRun, Any, dict[str, str]]:
    """The scenario of debrief_scenario.py as records; ``extra_teams`` adds teams that each get the
    first inject, a message from A and an observation, to show the query count does not grow."""
    facilitator = FacilitatorFactory(first_name="Fay", last_name="Cilitator")
    objectives = {
        code: LearningObjective.objects.filter(code=code).first()
        or LearningObjectiveFactory(code=code, title=title, order=order)
        for code, title, order in (("obj1", "Cooperation", 1), ("obj2", "Victims", 2))
    }
    exercise = ExerciseFactory()
    exercise.learning_objectives.add(objectives["obj1"])
    course = CourseFactory()
    course.learning_objectives.add(objectives["obj2"])
    CourseExerciseFactory(course=course, exercise=exercise)
    phases = [
        PhaseFactory(exercise=exercise, order=i + 1, name=name, planned_minutes=minutes)
        for i, (name, minutes) in enumerate(scenario.PHASES)
    ]
    run = ExerciseRunFactory(
        exercise=exercise, cohort=CohortFactory(course=course, facilitators=[facilitator]), status="finished"
    )
    team_names = [*scenario.TEAMS, *(f"X{i}" for i in range(extra_teams))]
    teams = {
        name: RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=exercise, number=i + 1, name=name))
        for i, name in enumerate(team_names)
    }
    cells = {name: CellRoleFactory(exercise=exercise, name=name) for name in scenario.CELL_ROLES}
    injects = {
        number: InjectFactory(exercise=exercise, number=number, title=title) for number, title in scenario.INJECTS
    }
    for kind, when, index, minutes in scenario.EVENTS:
        RunEvent.objects.create(run=run, kind=kind, at=at(when), phase=phases[index], minutes=minutes, by=facilitator)
    for number, title, status, when, overridden, acks in scenario.RELEASES:
        release = InjectReleaseFactory(
            run=run,
            inject=injects.get(number) if number else None,
            title=title,
            status=status,
            at=at(when),
            dependency_overridden=overridden,
            by=facilitator,
        )
        if number == 1:
            acks = [*acks, *((f"X{i}", "17:00") for i in range(extra_teams))]
        for team, ack in acks:
            InjectDeliveryFactory(release=release, team=teams[team], acknowledged_at=at(ack) if ack else None)

    def party(side: tuple[str, str]) -> dict[str, Any]:
        kind, name = side
        return {"team": {"team": teams.get(name)}, "cell": {"cell_role": cells.get(name)}}.get(kind, {})

    for sender, when, addressees in scenario.MESSAGES:
        sent = {f"sender_{k}": v for k, v in party(sender).items()}
        message = MessageFactory(run=run, sent_at=at(when), subject=f"From {sender[1] or 'control'} at {when}", **sent)
        for to, read, reply in addressees:
            MessageRecipientFactory(
                message=message,
                first_read_at=at(read) if read else None,
                first_reply_at=at(reply) if reply else None,
                **{"team": None, **party(to)},
            )
    for i in range(extra_teams):
        message = MessageFactory(run=run, sender_team=teams["A"], sent_at=at("59:00"))
        MessageRecipientFactory(message=message, team=teams[f"X{i}"])
    for team, objective, rating, when, shareable in scenario.OBSERVATIONS:
        ObservationFactory(
            run=run,
            author=facilitator,
            team=teams[team] if team else None,
            objective=objectives[objective] if objective else None,
            rating=rating,
            observed_at=at(when),
            shareable=shareable,
        )
    for i in range(extra_teams):
        ObservationFactory(run=run, author=facilitator, team=teams[f"X{i}"], observed_at=at("59:30"))
    names = {
        **{name: f"Team {i + 1}: {name}" for i, name in enumerate(scenario.TEAMS)},
        "Embassy": "Embassy",
        "obj1": "obj1 – Cooperation",
        "obj2": "obj2 – Victims",
        "control": "Exercise control",
        "no team": "No team named",
        "no objective": "No objective named",
    }
    return run, facilitator, names


def test_the_summary_of_the_hand_made_run_has_every_figure_computed_by_hand():
    run, facilitator, names = _hand_made_run()
    figures = selectors.run_summary(run=run, user=facilitator, now=at("90:00"))
    scenario.assert_hand_figures(figures, names=names)
    shared = selectors.run_summary(run=run, user=facilitator, now=at("90:00"), shareable_only=True)
    scenario.assert_hand_figures(shared, names=names, shareable_only=True)


def _queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_a_run_over_two_days_shows_each_phases_session_and_how_late_it_started(client, api_client):
    run, facilitator, _names = _hand_made_run()
    day_one = SessionFactory(cohort=run.cohort, title="Day one")
    day_two = SessionFactory(cohort=run.cohort, title="Day two")
    phases = list(run.exercise.phases.order_by("order"))
    RunPhase.objects.create(run=run, phase=phases[0], session=day_one, planned_start=at("00:00"))
    RunPhase.objects.create(run=run, phase=phases[1], session=day_one, planned_start=at("10:00"))
    RunPhase.objects.create(run=run, phase=phases[2], session=day_two, planned_start=at("60:00"))
    figures = selectors.run_summary(run=run, user=facilitator, now=at("90:00"))
    # Started 00:00, 13:00 and 52:00 against plans of 00:00, 10:00 and 60:00.
    assert [(p.session, p.planned_start, p.start_delay_seconds) for p in figures.phases] == [
        ("Day one", at("00:00"), 0),
        ("Day one", at("10:00"), 180),
        ("Day two", at("60:00"), -480),
    ]
    client.force_login(facilitator)
    page = client.get(reverse("conduct:run_summary", kwargs={"pk": run.pk})).text
    assert "Day two" in page
    assert "started −8 min off plan" in page
    api_client.force_authenticate(facilitator)
    body = api_client.get(f"/api/v1/run-summaries/{run.pk}/").json()
    assert [(p["session"], p["start_delay_seconds"]) for p in body["phases"]] == [
        ("Day one", 0),
        ("Day one", 180),
        ("Day two", -480),
    ]


def test_the_summary_and_the_timeline_take_a_fixed_number_of_queries_whatever_the_runs_size():
    small, facilitator, _names = _hand_made_run()
    big, other, _ = _hand_made_run(extra_teams=8)
    for user in (facilitator, other):
        selectors.run_timeline(run=small, user=user)  # the user's cohort access, cached after the first read
    counts = {
        run.pk: (
            _queries(lambda run=run, user=user: selectors.run_summary(run=run, user=user, now=at("90:00"))),
            _queries(lambda run=run, user=user: selectors.run_timeline(run=run, user=user)),
        )
        for run, user in ((small, facilitator), (big, other))
    }
    assert counts[small.pk] == counts[big.pk]
    assert counts[small.pk] == (10, 6)


def test_the_timeline_merges_everything_in_time_order():
    run, facilitator, names = _hand_made_run()
    entries = selectors.run_timeline(run=run, user=facilitator)
    kinds = [entry.kind for entry in entries]
    # 12 clock changes, 3 releases or skips, 3 acknowledgements, 7 messages, 6 first reads, 4 first replies, 5 notes.
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {
        "start": 1,
        "pause": 4,
        "resume": 3,
        "advance": 2,
        "extend": 1,
        "finish": 1,
        "released": 2,
        "skipped": 1,
        "acknowledged": 3,
        "message": 7,
        "read": 6,
        "reply": 4,
        "observation": 5,
    }
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    first = [(e.at, e.kind, e.actor, e.parties) for e in entries[:6]]
    a, b = names["A"], names["B"]
    assert first == [
        (at("00:00"), "start", "Fay Cilitator", ()),
        (at("04:00"), "pause", "Fay Cilitator", ()),
        (at("06:00"), "resume", "Fay Cilitator", ()),
        (at("10:00"), "message", "Exercise control", (a, b)),
        (at("13:00"), "advance", "Fay Cilitator", ()),
        (at("15:00"), "released", "Fay Cilitator", (a, b, names["C"])),
    ]
    released = entries[5]
    assert (released.subject, released.phase, released.detail) == (
        "1. Victims moved",
        "",
        "released before its dependency",
    )
    # At 24:00 B sends its message (M4) and its first reply to M1 is recorded: the message first.
    at_24 = [(e.kind, e.actor) for e in entries if e.at == at("24:00")]
    assert at_24 == [("message", b), ("reply", b)]
    extension = next(e for e in entries if e.kind == "extend")
    assert (extension.subject, extension.detail) == ("Crisis", "+5 min")
    note = next(e for e in entries if e.kind == "observation")
    assert (note.at, note.parties, note.detail) == (at("16:00"), (a,), "rated 4/5 · may be shown in the debrief")


def test_the_summary_page_shows_the_figures_and_the_board(client):
    run, facilitator, _names = _hand_made_run()
    HotwashItemFactory(run=run, author=facilitator, text="BOARD-POINT", team=None)
    client.force_login(facilitator)
    page = client.get(reverse("conduct:run_summary", kwargs={"pk": run.pk}))
    assert page.status_code == 200
    text = page.text
    for shown in ("Briefing", "11 min", "36 min 30 s", "+1 min", "−12 min", "1 min 30 s", "never acknowledged"):
        assert shown in text, shown
    assert "2 min 30 s" in text  # A→B's median first reply (150 s)
    assert "Released at 11:15:00" in text  # 09:15 UTC in the cohort's Warsaw summer time
    assert "BOARD-POINT" in text
    assert "Only the notes that may be shown" not in text
    shared = client.get(reverse("conduct:run_summary", kwargs={"pk": run.pk}) + "?shared=1")
    assert "Only the notes that may be shown" in shared.text
    assert shared.context["summary"].observation_count == 3


def test_the_timeline_page_lists_the_entries_and_links_to_refresh(client):
    run, _facilitator, _names = _hand_made_run()
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("conduct:run_timeline", kwargs={"pk": run.pk}))
    assert page.status_code == 200
    assert len(page.context["entries"]) == 40
    assert page.text.index("Victims moved") < page.text.index("Journalist calls")
    assert page.text.count(f'href="{reverse("conduct:run_timeline", kwargs={"pk": run.pk})}"') >= 2


def test_the_debrief_pages_are_for_the_runs_staff(client):
    run, _facilitator, _names = _hand_made_run()
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    for name in ("conduct:run_timeline", "conduct:run_summary", "conduct:run_hotwash"):
        url = reverse(name, kwargs={"pk": run.pk})
        client.force_login(participant)
        assert client.get(url).status_code == 403, name
        client.force_login(FacilitatorFactory())
        assert client.get(url).status_code == 404, name


def test_the_summary_api_answers_the_same_figures(api_client):
    run, facilitator, names = _hand_made_run()
    api_client.force_authenticate(facilitator)
    body = api_client.get(f"/api/v1/run-summaries/{run.pk}/").json()
    assert (body["run"], body["planned_seconds"], body["actual_seconds"]) == (run.pk, 3900, 3330)
    assert [(p["name"], p["actual_seconds"], p["difference_seconds"]) for p in body["phases"]] == [
        ("Briefing", 660, 60),
        ("Crisis", 2190, 90),
        ("Debriefing", 480, -720),
    ]
    first = body["injects"][0]
    assert (first["number"], first["median_seconds"]) == (1, 135.0)
    assert [(t["team_name"], t["seconds"]) for t in first["teams"]] == [
        (names["A"], 90),
        (names["B"], 180),
        (names["C"], None),
    ]
    assert body["injects"][3]["status"] == "pending"
    pair = body["messages"]["pairs"][0]
    assert (pair["sender"]["name"], pair["recipient"]["name"], pair["count"], pair["median_reply_seconds"]) == (
        names["A"],
        names["B"],
        3,
        150.0,
    )
    assert body["messages"]["total"] == 9
    assert [(g["name"], g["count"], g["mean_rating"]) for g in body["observations_by_objective"]] == [
        (names["obj1"], 3, 4.5),
        (names["obj2"], 1, 2.0),
        (names["no objective"], 1, 3.0),
    ]
    shared = api_client.get(f"/api/v1/run-summaries/{run.pk}/?shared=true").json()
    assert sum(g["count"] for g in shared["observations_by_team"]) == 3


def test_the_timeline_api_lists_the_entries_in_time_order(api_client):
    run, facilitator, _names = _hand_made_run()
    api_client.force_authenticate(facilitator)
    body = api_client.get(f"/api/v1/run-timelines/{run.pk}/").json()
    assert len(body["entries"]) == 40
    assert body["entries"][0]["kind"] == "start"
    assert body["entries"][-1]["kind"] == "finish"
    assert body["entries"][-1]["kind_label"] == "Run finished"
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    api_client.force_authenticate(participant)
    assert api_client.get(f"/api/v1/run-timelines/{run.pk}/").status_code == 403
    assert api_client.get(f"/api/v1/run-summaries/{run.pk}/").status_code == 403
