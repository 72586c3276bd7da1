"""Sending email safely: each email once however often its task runs, and subjects on one line."""

import datetime as dt
import hashlib
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable, Hashable

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from core.models import SentMark

logger = logging.getLogger(__name__)

# How long one worker may hold a send before another may take it over (a worker killed mid-send),
# and how long a sent email is remembered (longer than any retry or redelivery: core.outbox.outbox_purge).
SENDING_CLAIM_SECONDS = 5 * 60
SENT_REMEMBERED_SECONDS = 30 * 86400


class SendInFlight(Exception):
    """Another worker is sending this very email now; try again later (it is sent by then, or its claim expired)."""


def send_once(*, key: tuple[Hashable, ...], send: Callable[[], bool]) -> bool:
    """Call ``send`` unless the email with this key was sent already; its result, or False when skipped.

    The key is claimed in the database before sending, so a task that runs again — retried, or
    delivered twice to the workers — does not write to the same person twice. A failed send gives
    its claim back, so that the retry sends. While another worker holds the claim, ``SendInFlight``
    is raised: tasks retry on it. A claim older than ``SENDING_CLAIM_SECONDS`` (its worker died) is
    taken over.
    """
    digest, label = hashlib.sha256(repr(key).encode()).hexdigest(), repr(key)[:255]
    claim = _claim(digest, label=label)
    if claim is None:
        return False
    try:
        result = send()
    except BaseException:
        try:
            SentMark.objects.filter(key=digest, state=SentMark.State.SENDING, claim=claim).delete()
        except DatabaseError:  # the send's own error matters more; the claim expires by itself
            logger.exception("Could not give back the claim to send %s", key)
        raise
    now = timezone.now()
    sent = {"state": SentMark.State.SENT, "sent_at": now, "claim": ""}
    # Created again if the claim was given back meanwhile (a slow send taken over by a worker that then failed).
    SentMark.objects.update_or_create(
        key=digest, defaults=sent, create_defaults={**sent, "claimed_at": now, "label": label}
    )
    return result


def _claim(digest: str, *, label: str) -> str | None:
    """Claim the key for this send: the claim's id, or None when it was sent already."""
    claim, now = uuid.uuid4().hex, timezone.now()
    try:
        # A savepoint when inside a transaction: a taken key must not break the caller's.
        with transaction.atomic():
            SentMark.objects.create(key=digest, label=label, state=SentMark.State.SENDING, claim=claim, claimed_at=now)
        return claim
    except IntegrityError:
        pass
    mark = SentMark.objects.filter(key=digest).first()
    if mark is not None and mark.state == SentMark.State.SENT:
        return None
    if mark is None or mark.claimed_at > now - dt.timedelta(seconds=SENDING_CLAIM_SECONDS):
        # Being sent now (or given back a moment ago): the retry finds it sent, or free.
        raise SendInFlight(label)
    # A stale claim: its worker died. Take it over, unless another worker just did.
    taken = SentMark.objects.filter(pk=mark.pk, state=SentMark.State.SENDING, claim=mark.claim).update(
        claim=claim, claimed_at=now
    )
    if not taken:
        raise SendInFlight(label)
    logger.warning("Took over a stale claim to send %s", label)
    return claim


_SPACES = re.compile(r" {2,}")
_BREAKING = {"Cc", "Zl", "Zp"}  # control characters (line feed, tab, NEL, ...), line and paragraph separators


def single_line(text: str) -> str:
    """The text on one line, for an email subject: line breaks, tabs and other control characters
    become one space (Django refuses a line break in a header with BadHeaderError)."""
    spaced = "".join(" " if unicodedata.category(ch) in _BREAKING else ch for ch in str(text))
    return _SPACES.sub(" ", spaced).strip()
