"""Median latency of the cohort page (500 participants, 30 sessions) against the small signed-in page.

The cohort page, the objective catalogue (a small signed-in page) and a bare view are requested
through the same middleware by the same signed-in coordinator, interleaved, in rounds; the figure
that matters is the ratio to the small page (at most 2), and its spread over the rounds.
Run: `make bench` or `.venv/bin/python benchmarks/cohort_page.py [--rounds N] [--requests N]`.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import django_setup, django_teardown, median_ms

PARTICIPANTS = 500
SESSIONS = 30


def build_cohort() -> tuple[object, object]:
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import user_grant_role
    from exercises.models import ExerciseRun, Phase, RunTeam, TeamMembership, TeamRole
    from exercises.tests.factories import ExerciseFactory
    from participants.models import Enrolment, Participant
    from trainings.models import Agency, AgencyKind, CohortMember, Session
    from trainings.tests.factories import CohortFactory

    coordinator = User.objects.create_user("bench-coordinator@example.org", "bench-pass-1")
    user_grant_role(user=coordinator, role=Role.COORDINATOR)
    start = timezone.localdate() + dt.timedelta(days=10)
    cohort = CohortFactory(capacity=PARTICIPANTS, start_date=start, end_date=start + dt.timedelta(days=9))
    agencies = Agency.objects.bulk_create(
        [Agency(name=f"Agency {i}", kind=kind, country="PL") for i, kind in enumerate(AgencyKind.values)]
    )
    users = User.objects.bulk_create(
        [User(email=f"p{i:03}@example.org", first_name=f"First{i}", last_name=f"Last{i}") for i in range(PARTICIPANTS)]
    )
    participants = Participant.objects.bulk_create(
        [Participant(user=u, agency=agencies[i % len(agencies)], country="PL") for i, u in enumerate(users)]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant=p, status=Enrolment.Status.ENROLLED) for p in participants]
    )
    # What participants' enrolment services keep beside each enrolment (who takes a place).
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=u, holds_place=True) for u in users])
    sessions = []
    for i in range(SESSIONS):
        day = start + dt.timedelta(days=i // 3)
        starts = dt.datetime.combine(day, dt.time(9 + 3 * (i % 3)), tzinfo=cohort.tz)
        sessions.append(
            Session(
                cohort=cohort,
                title=f"Session {i}",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                room=f"Room {i % 3}",
            )
        )
    sessions = Session.objects.bulk_create(sessions)
    exercise = ExerciseFactory(planned_minutes=90)
    for order, minutes in enumerate((15, 15, 30, 15), start=1):
        Phase.objects.create(exercise=exercise, order=order, name=f"Phase {order}", planned_minutes=minutes)
    roles = [
        TeamRole.objects.create(exercise=exercise, number=n, name=f"Team {n}", agency_kind=AgencyKind.POLICE)
        for n in range(1, 6)
    ]
    run = ExerciseRun.objects.create(exercise=exercise, cohort=cohort, session=sessions[4])
    teams = RunTeam.objects.bulk_create([RunTeam(run=run, team_role=role) for role in roles])
    TeamMembership.objects.bulk_create(
        [TeamMembership(run=run, team=teams[i % len(teams)], enrolment=e) for i, e in enumerate(enrolments)]
    )
    return cohort, coordinator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60, help="requests per view and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each giving one ratio; the spread is shown")
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    old_config = django_setup()
    try:
        from django.test import Client
        from django.urls import reverse

        cohort, coordinator = build_cohort()
        client = Client()
        client.force_login(coordinator)
        small = "objective catalogue (the small signed-in page)"
        urls = {
            "cohort page": cohort.get_absolute_url(),
            "bare view": "/__bare__/",
            small: reverse("trainings:objective_list"),
        }
        for _ in range(args.warmup):
            for url in urls.values():
                assert client.get(url).status_code == 200
        samples: dict[str, list[float]] = {name: [] for name in urls}
        cpu: dict[str, list[float]] = {name: [] for name in urls}
        ratios = []
        for _ in range(args.rounds):
            round_samples: dict[str, list[float]] = {name: [] for name in urls}
            for _ in range(args.requests):
                for name, url in urls.items():  # interleaved, so load on the machine hits all alike
                    started, started_cpu = time.perf_counter(), time.process_time()
                    client.get(url)
                    round_samples[name].append(time.perf_counter() - started)
                    cpu[name].append(time.process_time() - started_cpu)
            ratios.append(median_ms(round_samples["cohort page"]) / median_ms(round_samples[small]))
            for name, values in round_samples.items():
                samples[name].extend(values)
        medians = {name: median_ms(values) for name, values in samples.items()}
        print(
            f"cohort of {PARTICIPANTS} participants and {SESSIONS} sessions, warm cache, "
            f"{args.rounds} rounds of {args.requests} requests per view"
        )
        for name, value in medians.items():
            print(f"  {name}: median {value:.2f} ms")
        print(f"ratio cohort page / bare view: {medians['cohort page'] / medians['bare view']:.1f}")
        # The process's own CPU time barely moves when other work shares the machine: a steadier cross-check.
        cpu_ratio = median_ms(cpu["cohort page"]) / median_ms(cpu[small])
        print(f"  CPU time, cohort page / small signed-in page: {cpu_ratio:.2f}")
        spread = ", ".join(f"{ratio:.2f}" for ratio in sorted(ratios))
        print(f"  per round, cohort page / small signed-in page: {spread}")
        ratio = statistics.median(ratios)
        print(f"ratio cohort page / small signed-in page: {ratio:.2f} (median of the rounds; target at most 2)")
    finally:
        django_teardown(old_config)


if __name__ == "__main__":
    main()
