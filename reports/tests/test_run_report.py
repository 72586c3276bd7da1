"""The run report's data against the hand-made run (conduct/tests/debrief_scenario.py) plus reflections,
members and a hot-wash board added here; bad data; query counts; JSON round-trip."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct.models import RunEvent
from conduct.tests.debrief_scenario import at
from conduct.tests.factories import HotwashItemFactory
from conduct.tests.test_debrief import _hand_made_run
from exercises.models import ExerciseRun, RunTeam
from exercises.tests.factories import ExerciseRunFactory, PhaseFactory, TeamMembershipFactory
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from reflections.models import Answer, Question, Response
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
from reports import data
from reports.selectors import cohort_report, run_report, stats
from trainings.models import Agency, LearningObjective

pytestmark = pytest.mark.django_db

NOW = at("90:00")


def add_reflections(run: ExerciseRun) -> None:
    """Shown (anonymous, threshold 3): a scale on obj1 answered 5, 4, 4, 3 (mean 4.0) and a text on obj1.
    Hidden (threshold 5): 2 responses."""
    obj1 = LearningObjective.objects.get(code="obj1")
    questionnaire = QuestionnaireFactory(title="After the exercise", is_anonymous=True)
    scale = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.SCALE, objective=obj1, text="Confident?")
    text = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.TEXT, objective=obj1, text="What worked?")
    shown = AdministrationFactory(questionnaire=questionnaire, cohort=run.cohort, run=run, min_respondents=3)
    for number, words in ((5, "Zażółć gęślą jaźń"), (4, "Calls were fast"), (4, ""), (3, "More maps")):
        response = Response.objects.create(administration=shown, submitted_on=dt.date(2026, 5, 12))
        Answer.objects.create(response=response, question=scale, number=number)
        if words:
            Answer.objects.create(response=response, question=text, text=words)
    hidden_q = QuestionnaireFactory(title="Quick poll", is_anonymous=True)
    hidden_scale = QuestionFactory(questionnaire=hidden_q, kind=Question.Kind.SCALE, objective=obj1)
    hidden = AdministrationFactory(questionnaire=hidden_q, cohort=run.cohort, run=run, min_respondents=5)
    for number in (1, 2):
        response = Response.objects.create(administration=hidden, submitted_on=dt.date(2026, 5, 12))
        Answer.objects.create(response=response, question=hidden_scale, number=number)


def add_members(run: ExerciseRun) -> None:
    """Team A: two from the Border Police (PL), team B: one from an NGO."""
    teams = {t.team_role.name: t for t in RunTeam.objects.filter(run=run).select_related("team_role")}
    police = Agency.objects.create(name="Straż Graniczna", kind="border_guard", country="PL")
    ngo = Agency.objects.create(name="La Strada", kind="ngo", country="PL")
    for team, agency in (("A", police), ("A", police), ("B", ngo)):
        enrolment = EnrolmentFactory(cohort=run.cohort, participant=ParticipantFactory(agency=agency))
        TeamMembershipFactory(team=teams[team], run=run, enrolment=enrolment)


def full_run() -> tuple[ExerciseRun, Any, dict[str, str]]:
    run, facilitator, names = _hand_made_run()
    add_reflections(run)
    add_members(run)
    HotwashItemFactory(run=run, kind="strength", text="Early call to labour inspection", author=facilitator)
    HotwashItemFactory(run=run, kind="improvement", text="Nobody told the embassy", author=facilitator)
    return run, facilitator, names


def test_every_figure_of_the_hand_made_run():
    run, facilitator, names = full_run()
    a, b, c = names["A"], names["B"], names["C"]
    report = run_report(run=run, user=facilitator, now=NOW)

    overview = report.overview
    assert overview.facilitators == ("Fay Cilitator",)
    assert [(t.label, t.people) for t in overview.teams] == [(a, 2), (b, 1), (c, 0)]
    assert [(x.name, x.people) for x in overview.agencies] == [("La Strada", 1), ("Straż Graniczna", 2)]
    assert overview.people == 3

    timeline = report.timeline
    assert [(p.name, p.actual_seconds, p.planned_seconds, p.difference_seconds, p.state) for p in timeline.phases] == [
        ("Briefing", 660, 600, 60, data.PHASE_DONE),
        ("Crisis", 2190, 2100, 90, data.PHASE_DONE),
        ("Debriefing", 480, 1200, -720, data.PHASE_DONE),
    ]
    assert (timeline.planned_seconds, timeline.actual_seconds, timeline.paused_seconds) == (3900, 3330, 570)
    first, skipped, adhoc, pending = timeline.injects
    assert [(ack.team, ack.seconds) for ack in first.acks] == [(a, 90), (b, 180), (c, None)]
    assert first.median_ack_seconds == 135.0
    # First message after 15:00 by a team that got inject 1: A's at 20:00, 300 s later.
    assert first.first_message == data.RelatedMessage(
        sender=a, sent_at=at("20:00"), seconds=300, subject="From A at 20:00"
    )
    assert skipped.first_message is None  # skipped
    assert adhoc.first_message is None  # B wrote last at 24:00, before 25:00
    assert (pending.status, pending.released_at, pending.first_message) == ("pending", None, None)

    exchange = report.exchange
    assert (exchange.messages, exchange.deliveries, exchange.read, exchange.replied) == (7, 9, 6, 4)
    assert exchange.median_first_reply_seconds == 180.0  # 60, 120, 240, 600
    assert exchange.slowest_first_reply == data.SlowReply(c, names["Embassy"], at("35:00"), 600)
    assert exchange.received_nothing == ()
    assert exchange.never_answered == (c,)
    assert exchange.columns == (a, b, c, "Embassy")
    assert exchange.rows[0].cells == (None, data.Cell(3, 2, 2, 150.0), data.Cell(1, 1, 0, None), None)
    assert sum(edge.count for edge in exchange.edges) == 9

    obj1, obj2, none = report.objectives
    assert (obj1.code, obj1.label) == ("obj1", names["obj1"])
    assert obj1.ratings == data.Stats(count=2, mean=4.5, stdev=0.5, minimum=4, maximum=5)
    assert [(t.team, t.notes, t.ratings.count, t.ratings.mean) for t in obj1.by_team] == [
        (a, 1, 1, 4.0),
        (b, 1, 1, 5.0),
        ("No team named", 1, 0, None),
    ]
    assert obj1.reflections == (
        data.ReflectionFigure(
            administration="After the exercise", question="Confident?", answered=4, mean=4.0, scale_max=5
        ),
    )
    assert obj2.ratings == data.Stats(1, 2.0, 0.0, 2, 2)
    assert obj2.reflections == ()
    assert (none.key, none.ratings.mean, [o.team for o in none.observations]) == (None, 3.0, [c])
    assert all(o.author == "Fay Cilitator" for o in obj1.observations)

    assert [(f.source, f.rating if f.source == "observation" else f.text) for f in report.strengths] == [
        ("hotwash", "Early call to labour inspection"),
        ("observation", 4),
        ("observation", 5),
    ]
    assert [f.text for f in report.improvements] == ["Nobody told the embassy"]

    shown, hidden = report.reflections
    assert (shown.respondents, shown.shown, hidden.respondents, hidden.shown) == (4, True, 2, False)
    assert shown.questions[0].mean == 4.0
    assert [b.count for b in shown.questions[0].bars] == [0, 0, 1, 2, 1]
    assert shown.texts == (
        data.TextGroup(
            objective=names["obj1"],
            question="What worked?",
            answers=("Calls were fast", "More maps", "Zażółć gęślą jaźń"),
        ),
    )
    assert hidden.questions == ()
    assert hidden.texts == ()
    assert report.problems == ("“Quick poll”: 2 responses, fewer than 5; results are not shown.",)
    assert report.actions == ()


def test_the_shareable_report_names_nobody():
    run, facilitator, _names = full_run()
    report = run_report(run=run, user=facilitator, now=NOW, shareable=True)
    text = report.to_json()
    assert "Fay" not in text
    assert "Cilitator" not in text
    assert report.overview.facilitators == ("Facilitator 1",)
    assert report.timeline.injects[0].first_message is not None
    assert report.timeline.injects[0].first_message.subject == ""
    assert report.observation_count == 3
    assert all(o.shareable and o.author == "" for s in report.objectives for o in s.observations)
    assert report.reflections[0].texts  # anonymous questionnaire: its texts stay


def test_json_round_trip():
    run, facilitator, _names = full_run()
    report = run_report(run=run, user=facilitator, now=NOW)
    assert data.RunReport.from_json(report.to_json()) == report


def test_query_count_does_not_grow_with_the_run(django_assert_max_num_queries):
    """3 teams, 9 deliveries, 5 notes against 12 teams, 18 deliveries, 14 notes: the same count."""
    run, facilitator, _names = _hand_made_run()
    add_reflections(run)
    with CaptureQueriesContext(connection) as small:
        run_report(run=run, user=facilitator, now=NOW)
    bigger, facilitator, _names = _hand_made_run(extra_teams=9)
    add_reflections(bigger)
    with django_assert_max_num_queries(len(small)) as big:
        run_report(run=bigger, user=facilitator, now=NOW)
    assert len(big) == len(small)
    assert len(small) <= 40


def test_a_run_never_started_gives_problems_not_a_crash():
    run = ExerciseRunFactory(status=ExerciseRun.Status.PLANNED)
    PhaseFactory(exercise=run.exercise, order=1, name="Briefing", planned_minutes=10)
    report = run_report(run=run, user=None, now=NOW)
    assert report.problems == (
        "The run never started.",
        "No messages were exchanged.",
        "No observations were recorded.",
        "No reflections were collected.",
    )
    assert report.timeline.phases[0].state == data.PHASE_NOT_STARTED
    assert report.exchange.median_first_reply_seconds is None
    assert report.exchange.slowest_first_reply is None
    assert data.RunReport.from_json(report.to_json()) == report


def test_a_phase_never_ended_is_a_problem():
    run = ExerciseRunFactory(status=ExerciseRun.Status.FINISHED, started_at=at("00:00"))
    phase = PhaseFactory(exercise=run.exercise, order=1, name="Krízis", planned_minutes=10)
    RunEvent.objects.create(run=run, kind="start", at=at("00:00"), phase=phase)
    report = run_report(run=run, user=None, now=NOW)
    assert "Phase “Krízis” never ended." in report.problems
    assert "The run never started." not in report.problems
    assert report.timeline.phases[0].state == data.PHASE_NEVER_ENDED


def test_stats_are_population_spread():
    assert stats([2, 4, 4, 4, 5, 5, 7, 9]) == data.Stats(8, 5.0, 2.0, 2, 9)
    assert stats([]) == data.Stats(0, None, None, None, None)


def test_cohort_report_pools_the_runs():
    run, facilitator, _names = full_run()
    second = ExerciseRunFactory(cohort=run.cohort, exercise=run.exercise, status=ExerciseRun.Status.PLANNED)
    report = cohort_report(cohort=run.cohort, user=facilitator, now=NOW)
    assert {r.run_id: r.messages for r in report.runs} == {run.pk: 7, second.pk: 0}
    assert (report.messages, report.deliveries, report.replied, report.median_first_reply_seconds) == (7, 9, 4, 180.0)
    pooled = {o.code: o.ratings for o in report.objectives}
    assert pooled["obj1"] == data.Stats(2, 4.5, 0.5, 4, 5)
    assert data.CohortReport.from_json(report.to_json()) == report
