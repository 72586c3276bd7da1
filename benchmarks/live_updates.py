"""Team rooms under load: 100 members polling their room once a second while a facilitator releases injects.

The app runs under gunicorn on loopback as the Dockerfile runs it (config.wsgi, three sync workers,
production settings; benchmarks/live_settings.py only adds the bare view's URL). A running exercise
with five teams of twenty is written first, with a signed-in session per member. Then, for
``--seconds`` (60), each member polls its room's ``/live/?v=<token>`` once a second, while a few more
clients (``--bare-pollers``) poll a bare view through the same middleware with a member's session: both
measured the same way, under the same load, in the same run. Every 5 seconds an inject is released to
every team through the release service (``conduct.services.inject_adhoc``: a release, one delivery per team
and the run's live version bumped, in one transaction).

Prints p50/p95 latency and the error count of both, the time from each release to the last member's
poll that shows it, and ends with ``ratio live p95 / bare p95: X``.

Database: ``DATABASE_URL`` if set (a throw-away ``test_`` database is created on it and dropped after),
otherwise a SQLite file in a temporary folder (WAL).
Run: ``.venv/bin/python benchmarks/live_updates.py [--seconds 60] [--members 100] [--workers 3]``.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEAMS = 5
RELEASE_EVERY = 5.0
TOKEN = re.compile(r"\?v=([0-9-]+)\"")
TITLE = re.compile(r"Bench inject (\d+)<")


@dataclass
class Samples:
    live: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    live_errors: int = 0
    bare_errors: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # what the errors were, for the report

    def error(self, kind: str, what: object) -> None:
        setattr(self, f"{kind}_errors", getattr(self, f"{kind}_errors") + 1)
        name = str(what) if isinstance(what, int) else type(what).__name__
        self.kinds[name] = self.kinds.get(name, 0) + 1

    seen: dict[int, float] = field(default_factory=dict)  # release number -> when this member first saw it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database() -> tuple[str, object]:
    """(DATABASE_URL for gunicorn, what to tear down)."""
    if os.environ.get("DATABASE_URL"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_databases

        old = setup_databases(verbosity=0, interactive=False)
        settings = connection.settings_dict
        url = (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        return url, old
    folder = tempfile.mkdtemp(prefix="concord-live-")
    url = f"sqlite:///{folder}/bench.sqlite3?timeout=30"  # writers wait for each other rather than fail
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
    return url, None


def build_run(members: int) -> tuple[object, list[tuple[str, str]], object]:
    """A running exercise with five teams; returns the run, (live URL, session key) per member, and the lead."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import user_grant_role
    from conduct.services import run_start
    from core.middleware import LAST_SEEN
    from exercises.models import ExerciseRun, Phase, RunTeam, TeamMembership, TeamRole
    from exercises.tests.factories import ExerciseFactory
    from participants.models import Enrolment, Participant
    from trainings.models import Agency, AgencyKind, CohortMember
    from trainings.tests.factories import CohortFactory

    lead = User.objects.create_user("bench-lead@example.org", "bench-pass-1")
    user_grant_role(user=lead, role=Role.FACILITATOR)
    cohort = CohortFactory(capacity=members, facilitators=[lead])
    agency = Agency.objects.create(name="Bench agency", kind=AgencyKind.POLICE, country="PL")
    users = User.objects.bulk_create([User(email=f"member{i:03}@example.org") for i in range(members)])
    participants = Participant.objects.bulk_create([Participant(user=u, agency=agency, country="PL") for u in users])
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant=p, status=Enrolment.Status.ENROLLED) for p in participants]
    )
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=u, holds_place=True) for u in users])
    exercise = ExerciseFactory(planned_minutes=90)
    for order, minutes in enumerate((15, 45, 30), start=1):
        Phase.objects.create(exercise=exercise, order=order, name=f"Phase {order}", planned_minutes=minutes)
    roles = [
        TeamRole.objects.create(exercise=exercise, number=n, name=f"Team {n}", agency_kind=AgencyKind.POLICE)
        for n in range(1, TEAMS + 1)
    ]
    run = ExerciseRun.objects.create(exercise=exercise, cohort=cohort, teams_confirmed_at=timezone.now())
    teams = RunTeam.objects.bulk_create([RunTeam(run=run, team_role=role) for role in roles])
    TeamMembership.objects.bulk_create(
        [TeamMembership(run=run, team=teams[i % TEAMS], enrolment=e) for i, e in enumerate(enrolments)]
    )
    run = run_start(run=run, by=lead)
    pollers = []
    for i, user in enumerate(users):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[LAST_SEEN] = int(time.time())
        session.create()
        team = teams[i % TEAMS]
        pollers.append((f"/runs/{run.pk}/teams/{team.pk}/live/", session.session_key))
    return run, pollers, lead


def release(run: object, number: int, lead: object) -> None:
    """The facilitator releases an ad-hoc inject to every team, through the release service."""
    from conduct.services import inject_adhoc
    from exercises.models import RunTeam

    teams = list(RunTeam.objects.filter(run=run))
    inject_adhoc(run=run, title=f"Bench inject {number}", body="Six persons.", teams=teams, by=lead)


def _get(port: int, path: str, session: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={session}", "Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def poll(port: int, path: str, session: str, until: float, samples: Samples) -> None:
    """A member's room: once a second, ``path`` with the token it last got (204 while nothing changed)."""
    token = ""
    while time.time() < until:
        started = time.time()
        try:
            status, body, took = _get(port, f"{path}?v={token}", session)
            samples.live.append(took)
            if status == 200:
                text = body.decode()
                found = TOKEN.search(text)
                token = found.group(1) if found else token
                now = time.time()
                for number in TITLE.findall(text):
                    samples.seen.setdefault(int(number), now)
            elif status != 204:
                samples.error("live", status)
        except (OSError, http.client.HTTPException) as error:
            samples.error("live", error)
        time.sleep(max(0.0, 1.0 - (time.time() - started)))


def poll_bare(port: int, session: str, until: float, samples: Samples) -> None:
    """The baseline: the bare view, once a second, with a member's session, measured the same way."""
    while time.time() < until:
        started = time.time()
        try:
            status, _body, took = _get(port, "/__bare__/", session)
            samples.bare.append(took)
            if status != 200:
                samples.error("bare", status)
        except (OSError, http.client.HTTPException) as error:
            samples.error("bare", error)
        time.sleep(max(0.0, 1.0 - (time.time() - started)))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def _wait_for(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            status, _body, _took = _get(port, "/__bare__/", "none")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile's 3)")
    parser.add_argument("--bare-pollers", type=int, default=10, help="clients polling the bare view alongside")
    args = parser.parse_args()

    database_url, old = _database()
    try:
        run, pollers, lead = build_run(args.members)
        port = _free_port()
        from django.conf import settings

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.live_settings",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions written here are signed with it
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "PYTHONWARNINGS": "ignore::UserWarning",  # no collected static files: the poll serves none
        }
        env.pop("REDIS_URL", None)  # no broker: nothing here queues work
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(  # noqa: S603  # our own interpreter and fixed arguments
            [*gunicorn, "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env
        )
        try:
            _wait_for(port, process)
            # Each worker's first requests load the URLs, templates and translations: not what is measured.
            for _ in range(10 * args.workers):
                _get(port, "/__bare__/", pollers[0][1])
                _get(port, pollers[0][0], pollers[0][1])
            until = time.time() + args.seconds
            samples = [Samples() for _ in pollers]
            bare = Samples()
            threads = [
                threading.Thread(target=poll, args=(port, path, session, until, sample), daemon=True)
                for (path, session), sample in zip(pollers, samples, strict=True)
            ]
            threads += [
                threading.Thread(target=poll_bare, args=(port, pollers[i % len(pollers)][1], until, bare), daemon=True)
                for i in range(args.bare_pollers)
            ]
            for thread in threads:
                thread.start()
            released: dict[int, float] = {}
            number = 0
            next_release = time.time() + RELEASE_EVERY
            while time.time() < until - 2:  # leave the last release time to reach everyone
                time.sleep(max(0.0, next_release - time.time()))
                number += 1
                release(run, number, lead)
                released[number] = time.time()
                next_release += RELEASE_EVERY
            for thread in threads:
                thread.join()
        finally:
            process.terminate()
            process.wait(timeout=20)
    finally:
        if old is not None:
            from django.test.utils import teardown_databases

            teardown_databases(old, verbosity=0)

    live = [t for s in samples for t in s.live]
    live_errors = sum(s.live_errors for s in samples)
    bare_errors = bare.bare_errors
    bare_times = bare.bare
    print(
        f"{args.members} team members in {TEAMS} teams polling once a second for {args.seconds} s, "
        f"gunicorn with {args.workers} workers on loopback, an inject released every {RELEASE_EVERY:.0f} s"
    )
    print(
        f"  live poll: {len(live)} requests, "
        f"p50 {_percentile(live, 0.5):.1f} ms, p95 {_percentile(live, 0.95):.1f} ms, "
        f"errors {live_errors}"
    )
    print(
        f"  bare view ({args.bare_pollers} clients alongside): {len(bare_times)} requests, "
        f"p50 {_percentile(bare_times, 0.5):.1f} ms, p95 {_percentile(bare_times, 0.95):.1f} ms, "
        f"errors {bare_errors}"
    )
    kinds: dict[str, int] = {}
    for sample in [*samples, bare]:
        for name, count in sample.kinds.items():
            kinds[name] = kinds.get(name, 0) + count
    if kinds:
        print("  errors by kind: " + ", ".join(f"{name} {count}" for name, count in sorted(kinds.items())))
    delays = []
    missed = 0
    for n, at in released.items():
        seen = [s.seen.get(n) for s in samples]
        if any(t is None for t in seen):
            missed += 1
            continue
        delays.append(max(seen) - at)  # type: ignore[type-var]
    if delays:
        print(
            f"  release to the last member's poll that shows it: median {statistics.median(delays):.2f} s, "
            f"max {max(delays):.2f} s over {len(delays)} releases"
            + (f" ({missed} not seen by everyone before the end)" if missed else "")
        )
    else:
        print(f"  no release was seen by every member ({missed} released)")
    print(f"ratio live p95 / bare p95: {_percentile(live, 0.95) / _percentile(bare_times, 0.95):.2f}")


if __name__ == "__main__":
    main()
