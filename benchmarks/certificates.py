"""Time per certificate through the real issue path, against the limit: a raw reportlab canvas drawing
the same page in the same run (issue #10).

- raw canvas: a plain ``Canvas`` drawing the page's texts at their sizes, the frame, rules and the QR code
  (segno encode + one path of rectangles, as ``certificates.pdf`` draws it), the fonts registered once;
  no text fitting, no database. Time per page.
- render only: ``certificates.pdf.render_certificate`` on data gathered once (fitting included).
- in-process service: ``certificate_issue`` for a cohort of N eligible people (bulk_create), its job run
  in-process (eager): each certificate created, its data gathered, drawn, stored, hashed, its events and
  e-mail written. Time per certificate.
- 1 worker / 2 workers (with PostgreSQL in DATABASE_URL and Redis in REDIS_URL, default
  redis://127.0.0.1:6379/13): the same through the outbox and the broker to real ``celery worker``
  processes (concurrency 1 each). One issue job renders its cohort in one task, so for the 2-worker run
  the cohort is issued as two jobs of half the cohort each (two requests by the service), and the
  1-worker run does the same two jobs, one after the other on its one worker: the same work both times.
  Time from the request to the last job done, per certificate.

Prints the per-certificate milliseconds, ``ratio certificate / raw canvas: X.XX`` (the 1-worker path per
certificate; the in-process path when the worker figures are skipped), the render-only ratio, and
``speed-up 2 workers / 1 worker: X.XX``. The machine running it may have few cores (2 here), shared.

Uses config.settings.test on a throw-away database. Run:
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord_bench REDIS_URL=redis://127.0.0.1:6379/13
.venv/bin/python benchmarks/certificates.py [--count 500] [--raw 200]`
"""

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import django_setup, django_teardown, median_ms

OBJECTIVES = 5
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
_built: list[str] = []


def raw_page(data: Any) -> bytes:
    """The certificate page drawn straight on a canvas: the same texts, fonts, frame and QR code."""
    import io

    import segno
    from reportlab.pdfgen.canvas import Canvas

    from certificates.pdf import GOLD, GREY, HEIGHT, MARGIN, NAVY, QR_SIZE, WIDTH
    from core.pdf import BOLD, REGULAR, SERIF_BOLD

    labels = data.labels
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(f"{labels.title}: {data.course_title}")
    canvas.setStrokeColorRGB(*NAVY)
    canvas.setLineWidth(2.5)
    canvas.rect(18, 18, WIDTH - 36, HEIGHT - 36, stroke=1, fill=0)
    canvas.setStrokeColorRGB(*GOLD)
    canvas.setLineWidth(0.75)
    canvas.rect(26, 26, WIDTH - 52, HEIGHT - 52, stroke=1, fill=0)
    centre = WIDTH / 2

    def text(value: str, x: float, y: float, font: str, size: float, colour: Any, centred: bool = True) -> None:
        canvas.setFillColorRGB(*colour)
        canvas.setFont(font, size)
        (canvas.drawCentredString if centred else canvas.drawString)(x, y, value)

    text(data.issuer, centre, 543, BOLD, 12, NAVY)
    text(labels.title, centre, 494, SERIF_BOLD, 30, NAVY)
    text(labels.awarded_to, centre, 464, REGULAR, 12, GREY)
    text(data.holder_name, centre, 428, SERIF_BOLD, 32, NAVY)
    canvas.line(centre - 190, 412, centre + 190, 412)
    text(labels.completed, centre, 394, REGULAR, 11, GREY)
    text(data.course_title, centre, 370, BOLD, 17, NAVY)
    for offset, label, value in ((-230, labels.cohort, data.cohort_name), (0, labels.dates, data.dates)):
        text(label, centre + offset, 334, REGULAR, 8.5, GREY)
        text(value, centre + offset, 319, BOLD, 11, NAVY)
    text(labels.hours, centre + 230, 334, REGULAR, 8.5, GREY)
    text(data.hours, centre + 230, 319, BOLD, 11, NAVY)
    text(labels.objectives, MARGIN, 276, BOLD, 9.5, NAVY, centred=False)
    for index, objective in enumerate(data.objectives):
        text(objective, MARGIN + 10, 261 - index * 11.5, REGULAR, 9, GREY, centred=False)
    for index, (name, title) in enumerate(data.signatories[:2]):
        text(name, MARGIN + index * 230, 81, BOLD, 9.5, NAVY, centred=False)
        text(title, MARGIN + index * 230, 69, REGULAR, 8, GREY, centred=False)
    qr_x = WIDTH - MARGIN - QR_SIZE
    text(data.code, qr_x - 14, 108, BOLD, 11, NAVY)
    text(data.verify_url, qr_x - 80, 78, REGULAR, 7.5, GREY)
    matrix = segno.make(data.verify_url, error="m", boost_error=False, micro=False).matrix
    module = QR_SIZE / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        bottom = 50 + QR_SIZE - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(qr_x + start * module, bottom, (column - start) * module, module)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def build_cohort(count: int, prefix: str) -> tuple[Any, list[Any], Any]:
    """A finished cohort of ``count`` enrolled people, all eligible (no attendance rule, no reflection)."""
    from accounts.models import User
    from accounts.tests.factories import CoordinatorFactory
    from certificates.models import CertificatePolicy
    from certificates.tests.factories import held_session, past_cohort
    from participants.models import Enrolment, Participant
    from trainings.models import Agency, LearningObjective

    _built.append(prefix)
    prefix = f"{prefix}{len(_built)}"  # unique across calls
    coordinator = CoordinatorFactory()
    cohort = past_cohort(capacity=count * 2, name=f"Cohort {prefix} – Iași")
    objectives = [
        LearningObjective.objects.create(
            code=f"{prefix}-o{i}", title=f"Objective {i}: identyfikacja ofiar handlu ludźmi", order=i
        )
        for i in range(OBJECTIVES)
    ]
    cohort.course.learning_objectives.add(*objectives)
    held_session(cohort, day=0)
    held_session(cohort, day=1)
    CertificatePolicy.objects.update_or_create(
        cohort=cohort,
        defaults={
            "attendance": CertificatePolicy.Attendance.NONE,
            "signatory_1_name": "Ana Popescu",
            "signatory_1_title": "Course director",
            "signatory_2_name": "Jan Kowalski",
            "signatory_2_title": "Straż Graniczna",
        },
    )
    agency, _ = Agency.objects.get_or_create(name="Straż Graniczna", country="PL", defaults={"kind": "border_guard"})
    users = User.objects.bulk_create(
        [User(email=f"{prefix}-{n}@example.org", first_name="Zofia", last_name=f"Wiśniewska-{n}") for n in range(count)]
    )
    people = Participant.objects.bulk_create([Participant(user=u, agency=agency, country="PL") for u in users])
    Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant=p, status=Enrolment.Status.ENROLLED) for p in people]
    )
    return cohort, people, coordinator


def measure_raw(pages: int) -> tuple[float, float, Any]:
    """Per page (ms) of the raw canvas and of render_certificate, on one cohort's gathered data."""
    from certificates.models import Certificate
    from certificates.pdf import render_certificate
    from certificates.services import certificate_data, certificate_ensure
    from core.pdf import register_fonts

    cohort, people, coordinator = build_cohort(1, "raw")
    certificate, _created = certificate_ensure(cohort=cohort, participant=people[0], by=coordinator)
    certificate = Certificate.objects.select_related("cohort__course", "participant__user").get(pk=certificate.pk)
    data = certificate_data(certificate=certificate)
    register_fonts()
    raw_page(data), render_certificate(data)  # warm: font subsets, imports
    raw, render = [], []
    for _ in range(pages):  # interleaved, so that both see the same machine load
        started = time.perf_counter()
        raw_page(data)
        raw.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_certificate(data)
        render.append(time.perf_counter() - started)
    return median_ms(raw), median_ms(render), data


def measure_in_process(count: int) -> tuple[float, dict[str, Any]]:
    """Per certificate (ms) of certificate_issue and its job, run in-process (eager)."""
    from django.db import transaction

    from certificates.services import certificate_issue
    from jobs.models import Job

    cohort, _people, coordinator = build_cohort(count, "eager")
    started = time.perf_counter()
    with transaction.atomic():
        job, _new = certificate_issue(cohort=cohort, participants=None, by=coordinator)
    elapsed = time.perf_counter() - started  # the job ran on commit, in-process
    job = Job.objects.get(pk=job.pk)
    return elapsed / count * 1000, {"state": job.state, **job.result}


def measure_workers(count: int, workers: int, redis_url: str, media_root: Path) -> tuple[float, float, list[str]]:
    """Per certificate (ms) from the requests to the last job done, with ``workers`` worker processes."""
    from celery import current_app
    from django.db import transaction

    from certificates.services import certificate_issue
    from jobs.models import Job
    from tests.worker_process import wait_until, worker_env, worker_process

    cohort, people, coordinator = build_cohort(count, f"w{workers}")
    halves = [people[: count // 2], people[count // 2 :]]
    env = worker_env(redis_url=redis_url, media_root=media_root)
    with (
        worker_process(env=env, name=f"bench{workers}a", quiet=True) as first,
        worker_process(env=env, name=f"bench{workers}b", quiet=True) if workers > 1 else _nothing() as second,
    ):
        processes = [p for p in (first, second) if p is not None]
        # The clock starts once every worker answers a ping (booted and listening to the broker).
        wait_until(lambda: len(current_app.control.ping(timeout=0.5) or []) >= workers, timeout=120, what="the workers")
        current_app.conf.task_always_eager = False
        try:
            started = time.perf_counter()
            with transaction.atomic():
                jobs = [certificate_issue(cohort=cohort, participants=half, by=coordinator)[0] for half in halves]
            ids = [job.pk for job in jobs]

            def done() -> bool:
                if any(p.poll() is not None for p in processes):
                    raise RuntimeError("a worker process exited")
                return not Job.objects.filter(pk__in=ids).active().exists()

            wait_until(done, timeout=600, step=0.2, what="the issue jobs")
            elapsed = time.perf_counter() - started
        finally:
            current_app.conf.task_always_eager = True
    finished = list(Job.objects.filter(pk__in=ids).order_by("started_at"))
    t0 = jobs[0].requested_at
    states = [
        f"{job.state} {job.result.get('ready')}/{job.progress_total} "
        f"ran {(job.started_at - t0).total_seconds():.1f}-{(job.finished_at - t0).total_seconds():.1f} s"
        for job in finished
    ]
    # The work: from the first job's start to the last one's end (without a worker's first-task warm-up).
    span = (max(job.finished_at for job in finished) - min(job.started_at for job in finished)).total_seconds()
    return elapsed / count * 1000, span / count * 1000, states


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="certificates per measured path")
    parser.add_argument("--raw", type=int, default=200, help="pages drawn for the raw and render-only figures")
    args = parser.parse_args()

    media_root = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    os.environ["DJANGO_MEDIA_ROOT"] = str(media_root)
    old_config = django_setup()
    logging.getLogger("celery").setLevel(logging.WARNING)  # not a line per eager task
    try:
        from django.conf import settings
        from django.db import connection

        settings.MEDIA_ROOT = media_root
        redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
        postgres = connection.vendor == "postgresql"
        print(f"database: {connection.vendor}; {os.cpu_count()} CPU cores; {args.count} certificates per path")

        raw_ms, render_ms, _data = measure_raw(args.raw)
        print(f"raw canvas (same page, QR encode included): {raw_ms:.2f} ms per page (median of {args.raw})")
        print(f"render only (render_certificate):            {render_ms:.2f} ms per page (median of {args.raw})")

        eager_ms, summary = measure_in_process(args.count)
        print(f"in-process service path (eager job):         {eager_ms:.2f} ms per certificate  {summary}")

        one_ms = two_ms = one_total = two_total = None
        if postgres and _redis_up(redis_url):
            one_total, one_ms, states = measure_workers(args.count, 1, redis_url, media_root)
            print(f"1 worker process (2 jobs of {args.count // 2}):  {one_ms:.2f} ms per certificate  {states}")
            two_total, two_ms, states = measure_workers(args.count, 2, redis_url, media_root)
            print(f"2 worker processes (2 jobs of {args.count // 2}): {two_ms:.2f} ms per certificate  {states}")
            print(
                f"  (request to last job done: 1 worker {one_total:.2f}, 2 workers {two_total:.2f} ms per certificate,"
                " with each worker's first-task warm-up)"
            )
        else:
            print("worker figures skipped: they need PostgreSQL (DATABASE_URL) and a reachable Redis (REDIS_URL)")

        certificate_ms = one_ms if one_ms is not None else eager_ms
        path = "1 worker, first job start to last job end" if one_ms is not None else "in-process"
        print(f"ratio certificate / raw canvas: {certificate_ms / raw_ms:.2f} ({path})")
        if one_total is not None:
            print(f"ratio certificate / raw canvas, request to done: {one_total / raw_ms:.2f} (1 worker)")
        print(f"ratio in-process certificate / raw canvas: {eager_ms / raw_ms:.2f}")
        print(f"ratio render only / raw canvas: {render_ms / raw_ms:.2f}")
        if one_ms is not None and two_ms is not None and one_total is not None and two_total is not None:
            print(f"speed-up 2 workers / 1 worker: {one_ms / two_ms:.2f} (on {os.cpu_count()} shared cores)")
            print(f"speed-up 2 workers / 1 worker, request to done: {one_total / two_total:.2f}")
    finally:
        django_teardown(old_config)
        shutil.rmtree(media_root, ignore_errors=True)


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


if __name__ == "__main__":
    main()
