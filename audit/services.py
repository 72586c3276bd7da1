"""Writing the audit trail: ``audit_record`` for writes (in the work's transaction), ``audit_read`` for
reads of sensitive records (after commit), ``audit_seal`` to chain what was written (beat, verify)."""

import hashlib
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit.context import audit_context
from audit.models import AuditEntry

# pg_advisory_xact_lock key: one sealer at a time.
SEAL_LOCK = 73_810_813


def _target(target: models.Model | tuple[str, Any] | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        return target[0], str(target[1])
    return target._meta.label_lower, str(target.pk)


def _entry(
    action: str, target: Any, subject_id: int | None, detail: dict[str, Any] | None, actor_id: Any
) -> AuditEntry:
    context = audit_context()
    target_type, target_id = _target(target)
    return AuditEntry(
        at=timezone.now(),
        actor_id=context.actor_id if actor_id is ... else actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject_id,
        ip=context.ip,
        user_agent=context.user_agent,
        detail=detail or {},
    )


def audit_record(
    *,
    action: str,
    target: models.Model | tuple[str, Any] | None = None,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    actor_id: Any = ...,
) -> AuditEntry:
    """Record a write, in the caller's transaction: it is kept if and only if the work is.

    ``action`` is a dotted name ("cohort.update"); ``target`` a model instance or ("app.model", id);
    ``subject_id`` the person it is about; ``detail`` ids, field names or counts, never personal data.
    The actor is the current request's person or job's requester unless ``actor_id`` is given.
    """
    entry = _entry(action, target, subject_id, detail, actor_id)
    entry.save(force_insert=True)
    return entry


def audit_records(entries: list[dict[str, Any]]) -> None:
    """Many writes at once (one INSERT): each dict holds ``audit_record``'s arguments."""
    AuditEntry.objects.bulk_create(
        [
            _entry(e["action"], e.get("target"), e.get("subject_id"), e.get("detail"), e.get("actor_id", ...))
            for e in entries
        ]
    )


def audit_read(
    *,
    action: str,
    target: models.Model | tuple[str, Any] | None = None,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record a read of a sensitive record once the reading transaction commits (at once outside one)."""
    context = audit_context()
    target_type, target_id = _target(target)
    row = (
        timezone.now(),
        context.actor_id,
        action,
        target_type,
        target_id,
        subject_id,
        context.ip,
        context.user_agent,
        detail or {},
    )
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _insert_read(row))
    else:
        _insert_read(row)


# A page that records a read pays for one INSERT, not for the ORM's: the statement is built once per
# database and its values adapted as the fields would (the same row as ``AuditEntry(...).save()``).
_READ_COLUMNS = ("at", "actor_id", "action", "target_type", "target_id", "subject_id", "ip", "user_agent", "detail")
_READ_SQL: dict[str, str] = {}


def _insert_read(row: tuple[Any, ...]) -> None:
    connection = transaction.get_connection()
    sql = _READ_SQL.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        column = {field.name: field.column for field in AuditEntry._meta.concrete_fields}
        columns = ", ".join(quote(column[name]) for name in (*_READ_COLUMNS, "prev_hash", "hash"))
        values = ", ".join(["%s"] * len(_READ_COLUMNS))
        # The model's own table and column names, quoted; every value is a parameter.
        sql = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES ({values}, '', '')"  # noqa: S608
        _READ_SQL[connection.vendor] = sql
    at, *middle, detail = row
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(sql, [ops.adapt_datetimefield_value(at), *middle, ops.adapt_json_value(detail, None)])


def entry_hash(entry: AuditEntry, *, seq: int, prev_hash: str) -> str:
    """SHA-256 over the entry's content, its place in the chain and the hash before it."""
    content = {
        "seq": seq,
        "prev": prev_hash,
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "action": entry.action,
        "target": [entry.target_type, entry.target_id],
        "subject": entry.subject_id,
        "ip": entry.ip,
        "ua": entry.user_agent,
        "detail": entry.detail,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@transaction.atomic
def audit_seal(*, limit: int = 5000) -> int:
    """Chain the committed entries not yet sealed, in the order they are found (commit order): each gets
    the next ``seq`` and the hash of the one before. Safe to run at once from several places."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
    last = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "hash").first()
    seq, prev_hash = (last.seq or 0, last.hash) if last else (0, "")
    unsealed = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:limit])
    for entry in unsealed:
        seq += 1
        entry_digest = entry_hash(entry, seq=seq, prev_hash=prev_hash)
        AuditEntry.objects.filter(pk=entry.pk, seq__isnull=True).update(seq=seq, prev_hash=prev_hash, hash=entry_digest)
        prev_hash = entry_digest
    return len(unsealed)
