"""Time to commit a roster of 500 and of 5,000 rows (the documented largest), and their ratio.

Each roster is mostly new people, with a tenth already known (their position changes) and a
tenth with an account but no participant profile; half the rows take places, the rest wait.
The commit is timed as a request makes it: the import's one transaction, then one message to the
broker (stubbed here: the worker's email fan-out is not part of the request). Upload and preview are
timed apart. Uses config.settings.test on a throw-away database: SQLite by default, PostgreSQL with
DATABASE_URL. Run: `.venv/bin/python benchmarks/roster_commit.py [--sizes 500,5000]`.
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import django_setup, django_teardown

HEADER = "email,first_name,last_name,agency,position,country,preferred_language"


def build_roster(size: int, prefix: str) -> tuple[Any, bytes]:
    """A cohort with room for half the rows, the people a tenth of the rows already are, and the file."""
    from accounts.models import User
    from participants.models import Participant
    from trainings.models import Agency
    from trainings.tests.factories import CohortFactory

    agency, _ = Agency.objects.get_or_create(name="Border Guard", country="PL")
    cohort = CohortFactory(capacity=size // 2)
    known = [f"{prefix}-{n}@example.org" for n in range(0, size, 10)]
    accounts = [f"{prefix}-{n}@example.org" for n in range(5, size, 10)]
    users = User.objects.bulk_create(
        [User(email=email, first_name="Known", last_name="Person") for email in [*known, *accounts]]
    )
    Participant.objects.bulk_create(
        [Participant(user=user, agency=agency, position="Officer", country="PL") for user in users[: len(known)]]
    )
    lines = [
        f"{prefix}-{n}@example.org,First{n},Last{n},Border Guard,{'Inspector' if n % 10 == 0 else 'Officer'},PL,pl"
        for n in range(size)
    ]
    return cohort, ("\n".join([HEADER, *lines]) + "\n").encode()


def measure(size: int, prefix: str) -> dict[str, float]:
    from participants import services
    from participants.models import Enrolment

    cohort, content = build_roster(size, prefix)
    started = time.perf_counter()
    upload = services.roster_import_create(
        cohort=cohort, uploaded_by=None, filename=f"{prefix}.csv", content=content, waitlist_rest=True
    )
    uploaded = time.perf_counter()
    services.roster_import_commit(roster_import=upload, by=None)
    committed = time.perf_counter()
    assert Enrolment.objects.filter(cohort=cohort).count() == size
    return {"upload": uploaded - started, "commit": committed - uploaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,5000", help="comma-separated row counts (default 500,5000)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    old_config = django_setup()
    try:
        from unittest import mock

        from celery import current_app
        from django.db import connection

        # As with a worker: the commit publishes once and returns; the emails are the worker's.
        current_app.conf.task_always_eager = False
        published: list[Any] = []
        with mock.patch("core.outbox._send", published.append):
            results = {size: measure(size, f"r{size}") for size in sizes}
        print(f"roster commit on {connection.vendor}; messages to the broker: {len(published)} (one per import)")
        for size, times in results.items():
            print(
                f"  {size:>5} rows: commit {times['commit']:.2f} s "
                f"({times['commit'] / size * 1000:.2f} ms per row); upload and preview {times['upload']:.2f} s"
            )
        if len(sizes) >= 2:
            small, large = sizes[0], sizes[-1]
            ratio = results[large]["commit"] / results[small]["commit"]
            print(f"ratio commit {large} / {small} rows: {ratio:.1f} (rows ×{large / small:.0f})")
            print(f"target: 5000 rows in under 10 s; {large} rows took {results[large]['commit']:.2f} s")
    finally:
        django_teardown(old_config)


if __name__ == "__main__":
    main()
