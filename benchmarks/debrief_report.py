"""Time to build a run's debrief report (``reports.selectors.run_report``) and draw its PDF, for a run of
60 participants with 5,000 observations, 2,000 messages and 300 reflection responses, then for one with
every count doubled; their ratio (aim: no worse than 2.2) and the peak memory (aim: under 300 MB).

Data is written with bulk_create. Uses config.settings.test on a throw-away database: SQLite by default,
PostgreSQL with DATABASE_URL. Run: `.venv/bin/python benchmarks/debrief_report.py [--repeat 3]`.
"""

import argparse
import datetime as dt
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import django_setup, django_teardown, median_ms

BASE = {"participants": 60, "observations": 5000, "messages": 2000, "responses": 300}
TEAMS, INJECTS, OBJECTIVES = 6, 20, 4
T0 = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)


def build_run(scale: int, prefix: str) -> tuple[Any, Any]:
    """A finished run at ``scale`` times the base counts; returns (run, coordinator)."""
    from accounts.models import User
    from accounts.tests.factories import CoordinatorFactory
    from conduct.models import InjectDelivery, InjectRelease, Message, MessageRecipient, Observation, RunEvent
    from exercises.models import TeamMembership
    from exercises.tests.factories import (
        CellRoleFactory,
        ExerciseFactory,
        ExerciseRunFactory,
        PhaseFactory,
        RunTeamFactory,
        TeamRoleFactory,
    )
    from participants.models import Enrolment, Participant
    from reflections.models import Answer, Question, Response
    from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
    from trainings.models import Agency, LearningObjective
    from trainings.tests.factories import CohortFactory

    counts = {key: value * scale for key, value in BASE.items()}
    coordinator = CoordinatorFactory()
    objectives = [
        LearningObjective.objects.create(code=f"{prefix}-o{i}", title=f"Objective {i} – współpraca", order=i)
        for i in range(OBJECTIVES)
    ]
    exercise = ExerciseFactory()
    exercise.learning_objectives.add(*objectives)
    phases = [PhaseFactory(exercise=exercise, order=i + 1, name=f"Phase {i + 1}", planned_minutes=60) for i in range(3)]
    cohort = CohortFactory(capacity=counts["participants"] * 2)
    run = ExerciseRunFactory(exercise=exercise, cohort=cohort, status="finished", started_at=T0)
    teams = [
        RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=exercise, number=i + 1, name=f"Team {i + 1}"))
        for i in range(TEAMS)
    ]
    cell = CellRoleFactory(exercise=exercise, name="Embassy")
    for kind, minute, phase in (("start", 0, 0), ("advance", 60, 1), ("advance", 130, 2), ("finish", 180, 2)):
        RunEvent.objects.create(run=run, kind=kind, at=T0 + dt.timedelta(minutes=minute), phase=phases[phase])

    agency, _ = Agency.objects.get_or_create(name="Straż Graniczna", country="PL", defaults={"kind": "border_guard"})
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}-{n}@example.org", first_name="P", last_name=f"N{n}")
            for n in range(counts["participants"])
        ]
    )
    people = Participant.objects.bulk_create([Participant(user=u, agency=agency, country="PL") for u in users])
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant=p, status=Enrolment.Status.ENROLLED) for p in people]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(run=run, team=teams[i % TEAMS], enrolment=e) for i, e in enumerate(enrolments)]
    )

    releases = InjectRelease.objects.bulk_create(
        [
            InjectRelease(run=run, title=f"Inject {i}", status="released", at=T0 + dt.timedelta(minutes=5 + i * 8))
            for i in range(INJECTS)
        ]
    )
    InjectDelivery.objects.bulk_create(
        [
            InjectDelivery(
                release=r,
                team=t,
                acknowledged_at=r.at + dt.timedelta(seconds=30 + 7 * j) if (i + j) % 5 else None,
            )
            for i, r in enumerate(releases)
            for j, t in enumerate(teams)
        ]
    )
    messages = Message.objects.bulk_create(
        [
            Message(
                run=run,
                sender_team=teams[i % TEAMS] if i % 10 else None,
                sender_cell_role=cell if i % 10 == 0 else None,
                sent_at=T0 + dt.timedelta(seconds=5 * i),
                subject=f"Message {i}",
                body="Wiadomość",
            )
            for i in range(counts["messages"])
        ]
    )
    recipients = []
    for i, m in enumerate(messages):
        for k in range(1 + i % 3):
            team = teams[(i + k + 1) % TEAMS]
            replied = m.sent_at + dt.timedelta(seconds=60 + (i * 13) % 900) if (i + k) % 4 else None
            recipients.append(
                MessageRecipient(
                    message=m, team=team, first_read_at=m.sent_at + dt.timedelta(seconds=20), first_reply_at=replied
                )
            )
    MessageRecipient.objects.bulk_create(recipients, batch_size=2000)
    Observation.objects.bulk_create(
        [
            Observation(
                run=run,
                author=coordinator,
                team=teams[i % TEAMS],
                objective=objectives[i % OBJECTIVES],
                phase=phases[i % 3],
                rating=1 + i % 5 if i % 7 else None,
                text=f"Observation {i}: zespół reagował",
                shareable=bool(i % 2),
                observed_at=T0 + dt.timedelta(seconds=2 * i),
            )
            for i in range(counts["observations"])
        ],
        batch_size=2000,
    )

    questionnaire = QuestionnaireFactory(is_anonymous=True)
    scale = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.SCALE, objective=objectives[0])
    text = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.TEXT, objective=objectives[1])
    yes_no = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.YES_NO)
    administration = AdministrationFactory(questionnaire=questionnaire, cohort=cohort, run=run, min_respondents=5)
    responses = Response.objects.bulk_create(
        [
            Response(administration=administration, team=teams[i % TEAMS], submitted_on=T0.date())
            for i in range(counts["responses"])
        ]
    )
    Answer.objects.bulk_create(
        [
            answer
            for i, r in enumerate(responses)
            for answer in (
                Answer(response=r, question=scale, number=1 + i % 5),
                Answer(response=r, question=text, text=f"Answer {i}"),
                Answer(response=r, question=yes_no, yes=bool(i % 2)),
            )
        ],
        batch_size=2000,
    )
    return run, coordinator


def build_and_render(run: Any, user: Any) -> tuple[Any, bytes]:
    from reports.content import report_labels
    from reports.pdf import render_run_report
    from reports.selectors import run_report

    report = run_report(run=run, user=user, now=T0 + dt.timedelta(hours=5))
    return report, render_run_report(report, labels=report_labels())


def measure(run: Any, user: Any, repeat: int) -> tuple[float, int, int]:
    """Median seconds of build + render, the number of queries, and the traced peak bytes of one build."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        build_and_render(run, user)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        report, _pdf = build_and_render(run, user)
    assert report.observation_count > 0
    tracemalloc.start()
    build_and_render(run, user)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return median_ms(samples) / 1000, len(captured), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    old_config = django_setup()
    try:
        from django.db import connection

        print(f"database: {connection.vendor}")
        results = {}
        for scale in (1, 2):
            run, user = build_run(scale, prefix=f"x{scale}")
            results[scale] = measure(run, user, args.repeat)
            counts = ", ".join(f"{value * scale} {key}" for key, value in BASE.items())
            seconds, queries, peak = results[scale]
            print(
                f"{scale}x data ({counts}): {seconds * 1000:.0f} ms, {queries} queries, "
                f"traced peak {peak / 2**20:.1f} MB"
            )
        print(f"ratio 2x data / 1x data: {results[2][0] / results[1][0]:.2f}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        print(
            f"peak memory (process max RSS): {rss:.0f} MB; traced peak of one 2x build: {results[2][2] / 2**20:.1f} MB"
        )
    finally:
        django_teardown(old_config)


if __name__ == "__main__":
    main()
