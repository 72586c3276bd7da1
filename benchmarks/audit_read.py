"""What recording reads costs: two pages that record one (a participant's own profile, a cohort's roster of
100 people), requested with the recording and with ``audit_read`` patched to a no-op (the baseline).

Both variants are requested by the same signed-in people, interleaved, in rounds; the figure that matters is
the ratio of the medians, with audit / without (target at most 1.2), and its spread over the rounds; the
headline is the page where the ratio is worst. The variants take turns going first: the request that follows
the roster page pays about a millisecond more whatever it does (the larger page's work leaves the process's
memory and caches colder), and with a fixed order that millisecond was all charged to the variant that came
first, the one with the audit. On PostgreSQL: ``DATABASE_URL=postgres://... python ...``; on SQLite the test
database is in memory unless ``--sqlite-file PATH`` puts it in a file (commits then reach the disk).
Run: `.venv/bin/python benchmarks/audit_read.py [--rounds N] [--requests N] [--sqlite-file PATH]`.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import django_setup, django_teardown, median_ms

PEOPLE = 100


def build() -> tuple[Any, Any, Any]:
    from accounts.models import Role, User
    from accounts.services import user_grant_role
    from participants.models import Enrolment, Participant
    from participants.tests.factories import ParticipantFactory
    from trainings.models import CohortMember
    from trainings.tests.factories import CohortFactory

    coordinator = User.objects.create_user("bench-coordinator@example.org", "bench-pass-1")
    user_grant_role(user=coordinator, role=Role.COORDINATOR)
    cohort = CohortFactory(capacity=PEOPLE)
    users = User.objects.bulk_create(
        [User(email=f"p{i:03}@example.org", first_name=f"First{i}", last_name=f"Last{i}") for i in range(PEOPLE)]
    )
    participants = Participant.objects.bulk_create([Participant(user=u, country="PL") for u in users])
    Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant=p, status=Enrolment.Status.ENROLLED) for p in participants]
    )
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=u, holds_place=True) for u in users])
    me = ParticipantFactory()
    user_grant_role(user=me.user, role=Role.PARTICIPANT)
    return cohort, coordinator, me.user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60, help="requests per page, variant and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--sqlite-file", help="on SQLite, the test database in this file, not in memory")
    args = parser.parse_args()

    old_config = django_setup(sqlite_file=args.sqlite_file)
    try:
        from unittest import mock

        from django.test import Client
        from django.urls import reverse

        from audit.models import AuditEntry
        from participants.views import pages, roster

        cohort, coordinator, person = build()
        staff, own = Client(), Client()
        staff.force_login(coordinator)
        own.force_login(person)
        pages_measured = {
            "profile page": (own, reverse("participants:me")),
            "roster page (100 people)": (staff, reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})),
        }

        def noop(**kwargs: Any) -> None:
            return None

        def baseline() -> contextlib.ExitStack:
            stack = contextlib.ExitStack()
            for module in (pages, roster):
                stack.enter_context(mock.patch.object(module, "audit_read", noop))
            return stack

        variants = {"with audit": contextlib.nullcontext, "without": baseline}
        for _ in range(args.warmup):
            for client, url in pages_measured.values():
                assert client.get(url).status_code == 200
        before = AuditEntry.objects.count()
        samples = {(page, variant): [] for page in pages_measured for variant in variants}
        ratios: dict[str, list[float]] = {page: [] for page in pages_measured}
        # The same samples by place in the pair: what going first costs, shown, not guessed.
        placed: dict[tuple[str, str, int], list[float]] = {
            (page, variant, place): [] for page in pages_measured for variant in variants for place in (0, 1)
        }
        for _ in range(args.rounds):
            round_samples: dict[tuple[str, str], list[float]] = {key: [] for key in samples}
            for request in range(args.requests):
                # Interleaved, so that load on the machine hits both alike; each variant goes first half the time.
                order = list(variants.items()) if request % 2 == 0 else list(reversed(variants.items()))
                for page, (client, url) in pages_measured.items():
                    for place, (variant, context) in enumerate(order):
                        with context():
                            started = time.perf_counter()
                            client.get(url)
                            elapsed = time.perf_counter() - started
                        round_samples[(page, variant)].append(elapsed)
                        placed[(page, variant, place)].append(elapsed)
            for page in pages_measured:
                with_audit = median_ms(round_samples[(page, "with audit")])
                ratios[page].append(with_audit / median_ms(round_samples[(page, "without")]))
            for key, values in round_samples.items():
                samples[key].extend(values)
        written = AuditEntry.objects.count() - before
        expected = args.rounds * args.requests * len(pages_measured)
        assert written == expected, f"{written} entries written, {expected} expected: the recording was not measured"
        from django.db import connection

        database = connection.vendor
        if database == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                journal = cursor.fetchone()[0]
                cursor.execute("PRAGMA synchronous")
                synchronous = {0: "off", 1: "normal", 2: "full", 3: "extra"}[cursor.fetchone()[0]]
            where = args.sqlite_file if args.sqlite_file else "in memory"
            database = f"sqlite ({where}, journal {journal}, synchronous {synchronous})"
        print(
            f"{args.rounds} rounds of {args.requests} requests per page and variant on {database}; "
            f"{written} read entries written"
        )
        per_page = {}
        for page in pages_measured:
            with_audit, without = median_ms(samples[(page, "with audit")]), median_ms(samples[(page, "without")])
            print(f"  {page}: median {with_audit:.2f} ms with audit, {without:.2f} ms without")
            spread = ", ".join(f"{ratio:.2f}" for ratio in sorted(ratios[page]))
            print(f"  {page}, per round, with audit / without: {spread}")
            first, second = (
                ", ".join(f"{median_ms(placed[(page, variant, place)]):.2f}" for variant in variants)
                for place in (0, 1)
            )
            print(f"  {page}, median ms with audit, without: going first {first}; going second {second}")
            per_page[page] = statistics.median(ratios[page])
        # The headline is the page that pays most: a small page, where one INSERT weighs most.
        worst = max(per_page, key=per_page.__getitem__)
        print(f"ratio with audit / without: {per_page[worst]:.2f} ({worst}, median of the rounds; target at most 1.2)")
    finally:
        django_teardown(old_config)


if __name__ == "__main__":
    main()
