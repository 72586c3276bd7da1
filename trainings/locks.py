"""Schedule writes one at a time per cohort, person, room and video link (PostgreSQL advisory locks).

Checking for conflicts and then saving races: two requests both check, find nothing and both save.
Each writer takes transaction-level advisory locks on everything it books, in one sorted order (so
two writers never wait on each other in a circle), held until its transaction ends: the second
waits, then sees the first's session. Take them before any row lock of the same transaction.
SQLite runs one writing transaction at a time anyway: there this does nothing.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection


def lock_id(key: str) -> int:
    """A stable signed 64-bit id for a key such as ``cohort:12`` (PostgreSQL's bigint lock space)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def enabled() -> bool:
    return connection.vendor == "postgresql"


def schedule_lock(keys: Iterable[str]) -> None:
    """Hold the keys' locks until the transaction ends; taken again by the same transaction, they do not wait."""
    ids = sorted({lock_id(key) for key in keys if key})
    if not ids or not enabled():
        return
    with connection.cursor() as cursor:
        # One statement; the aggregate takes the locks in the subquery's (sorted) order.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k)) "
            "FROM (SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS ordered",
            [ids],
        )


def cohort_key(cohort_id: int) -> str:
    return f"cohort:{cohort_id}"


def person_key(user_id: int) -> str:
    return f"user:{user_id}"


def room_key(*, venue: str, room: str) -> str:
    """A room of a venue, compared as the room check compares them: trimmed and ignoring case."""
    venue, room = venue.strip().lower(), room.strip().lower()
    return f"room:{venue}:{room}" if venue and room else ""


def video_link_key(link: str) -> str:
    link = link.strip()
    return f"link:{link}" if link else ""
