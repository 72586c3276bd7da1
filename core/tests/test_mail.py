"""Sending once (marks in the database) and one-line subjects."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core import mail as core_mail
from core.mail import SENDING_CLAIM_SECONDS, SendInFlight, send_once, single_line
from core.models import SentMark
from core.outbox import outbox_purge
from core.tasks import send_mail_task

pytestmark = pytest.mark.django_db


def test_an_email_is_sent_once_however_often_it_is_asked_for():
    calls: list[str] = []
    assert send_once(key=("welcome", 1), send=lambda: calls.append("sent") or True) is True
    assert send_once(key=("welcome", 1), send=lambda: calls.append("again") or True) is False
    assert send_once(key=("welcome", 2), send=lambda: calls.append("other") or True) is True
    assert calls == ["sent", "other"]
    mark = SentMark.objects.get(label="('welcome', 1)")
    assert (mark.state, mark.claim) == (SentMark.State.SENT, "")
    assert mark.sent_at is not None


def test_a_failed_send_gives_its_claim_back_so_that_the_retry_sends():
    def unreachable() -> bool:
        raise ConnectionRefusedError("421 try again later")

    with pytest.raises(ConnectionRefusedError):
        send_once(key=("k", 1), send=unreachable)
    assert not SentMark.objects.exists()
    assert send_once(key=("k", 1), send=lambda: True) is True
    assert send_once(key=("k", 1), send=lambda: True) is False


def test_a_send_in_flight_elsewhere_is_retried_later_and_a_stale_claim_is_taken_over():
    seen: list[str] = []

    def in_flight() -> bool:
        # While this send runs, the same email asked for again must wait for its turn (a task retry).
        with pytest.raises(SendInFlight):
            send_once(key=("k", 2), send=lambda: seen.append("twice") or True)
        return True

    assert send_once(key=("k", 2), send=in_flight) is True
    assert seen == []

    # A worker died while sending: once its claim is old enough, another takes it over.
    SentMark.objects.create(key="0" * 64, state=SentMark.State.SENDING, claim="dead", claimed_at=timezone.now())
    stale = SentMark.objects.create(
        key="1" * 64,
        state=SentMark.State.SENDING,
        claim="dead",
        claimed_at=timezone.now() - dt.timedelta(seconds=SENDING_CLAIM_SECONDS + 1),
    )
    with pytest.raises(SendInFlight):
        core_mail._claim("0" * 64, label="fresh claim")
    claim = core_mail._claim(stale.key, label="stale claim")
    assert claim is not None
    stale.refresh_from_db()
    assert stale.claim == claim


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_email_at_once_send_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims are tested against PostgreSQL")
    started, release = threading.Event(), threading.Event()
    outcomes: list[object] = []

    def slow_send() -> bool:
        started.set()
        release.wait(timeout=10)
        return True

    def first() -> None:
        try:
            outcomes.append(send_once(key=("race", 1), send=slow_send))
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(timeout=10)
    with pytest.raises(SendInFlight):
        send_once(key=("race", 1), send=lambda: True)
    release.set()
    thread.join(timeout=10)
    assert outcomes == [True]
    assert send_once(key=("race", 1), send=lambda: True) is False


def test_sent_marks_are_forgotten_after_thirty_days():
    now = timezone.now()
    SentMark.objects.create(key="a" * 64, state="sent", claimed_at=now, sent_at=now - dt.timedelta(days=31))
    SentMark.objects.create(key="b" * 64, state="sent", claimed_at=now, sent_at=now - dt.timedelta(days=29))
    SentMark.objects.create(key="c" * 64, state="sending", claimed_at=now - dt.timedelta(days=40))
    assert outbox_purge(now=now) == (0, 1)
    assert sorted(SentMark.objects.values_list("key", flat=True)) == ["b" * 64, "c" * 64]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Day 1\nBriefing", "Day 1 Briefing"),
        ("Day 1\r\nBriefing", "Day 1 Briefing"),
        ("  Cancelled:\tDay 1 \n\n Briefing  ", "Cancelled: Day 1 Briefing"),
        ("Line\u2028separator\u2029paragraph\x85next\x0bvt\x0cff\x1crs", "Line separator paragraph next vt ff rs"),
        ("Bell\x07 and\x00nul\x7fdel", "Bell and nul del"),
        ("Warszawa 14\u00a0maja", "Warszawa 14\u00a0maja"),  # a no-break space is kept
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),  # ZWNJ
        ("", ""),
    ],
)
def test_single_line(text, expected):
    assert single_line(text) == expected


def test_the_generic_mail_task_sends_a_one_line_subject():
    assert send_mail_task("Concord\nnews", "Body\nlines stay.", ["someone@example.org"]) == 1
    [message] = mail.outbox
    assert message.subject == "Concord news"
    assert message.body == "Body\nlines stay."
