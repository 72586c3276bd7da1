"""A job kind of the tests' own: what it does is set per test (``echo.behaviour``)."""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from jobs import registry
from jobs.models import Job
from jobs.services import JobProgress

KIND = "tests.echo"


@dataclass
class Echo:
    """The test kind: counts its runs (and how many ran at once), reports progress, may fail or write a file."""

    steps: int = 3
    fail_with: BaseException | None = None
    fail_times: int = 0  # fail the first n runs only (0: every run, when fail_with is set)
    file: bytes | None = None
    pause: float = 0.0
    runs: int = 0
    running: int = 0
    most_at_once: int = 0
    can_view: Callable[[Any, Job], bool] = field(default=lambda user, job: False)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        with self.lock:
            self.runs += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            run = self.runs
        try:
            progress.set_total(self.steps)
            for _ in range(self.steps):
                time.sleep(self.pause / max(self.steps, 1))
                progress.advance()
            if self.fail_with is not None and (not self.fail_times or run <= self.fail_times):
                raise self.fail_with
            if self.file is not None:
                progress.save_result(name="report.pdf", content=self.file, content_type="application/pdf")
            return {"echo": job.input.get("say", ""), "run": run}
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def echo() -> Iterator[Echo]:
    behaviour = Echo()
    registry.register(
        registry.JobKind(
            name=KIND,
            label="Echo",
            run=lambda job, progress: behaviour.run(job, progress),
            can_view=lambda user, job: behaviour.can_view(user, job),
        )
    )
    try:
        yield behaviour
    finally:
        registry.unregister(KIND)
