"""Real Celery worker processes for tests that kill them: a separate process per worker, on a Redis
database and a queue of the test's own, against the test's PostgreSQL database and media folder.

Threads (``celery.contrib.testing.worker.start_worker``) cannot be killed; these can, with SIGKILL,
as a crashed or evicted worker would be.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def worker_env(*, redis_url: str, media_root: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker process that sees what the test sees."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("worker processes share the test's database: PostgreSQL only")
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{user}@{host}:{port}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CONCORD_TASKS_EAGER": "false",
        **extra,
    }


@contextmanager
def worker_process(
    *, env: dict[str, str], concurrency: int = 1, queues: str = "celery", name: str = "test", quiet: bool = False
) -> Iterator[subprocess.Popen]:
    """Start ``celery worker`` (prefork) in its own process group; stopped (killed) on exit.

    ``quiet``: its banner (standard output) is dropped; warnings and errors still show."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config.celery_app",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        f"--queues={queues}",
        f"--hostname={name}-{os.getpid()}-{time.monotonic_ns()}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=WARNING",
    ]
    stdout = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=stdout)  # noqa: S603 - our own command
    try:
        yield process
    finally:
        worker_kill(process)


def worker_kill(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool: no warm shutdown, no acknowledgement, as in a crash."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def wait_until(predicate, *, timeout: float, step: float = 0.2, what: str = "the condition") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def media_root_for_workers(tmp_path: Path) -> Path:
    """A media folder both the test and its workers write to (the test's settings point at it too)."""
    folder = tmp_path / "media"
    folder.mkdir(exist_ok=True)
    settings.MEDIA_ROOT = folder
    return folder
