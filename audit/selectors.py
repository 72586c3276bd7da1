"""Reading the audit trail: verifying the chain, the entries about a person, filtered lists."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import entry_hash


@dataclass
class ChainReport:
    checked: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, batch: int = 2000) -> ChainReport:
    """Walk the sealed entries in ``seq`` order: each hash must match its content and the one before it,
    and the sequence must have no gap (a deleted entry leaves one)."""
    report = ChainReport(unsealed=AuditEntry.objects.filter(seq__isnull=True).count())
    expected_seq, prev_hash = 1, ""
    sealed = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    for entry in sealed.iterator(chunk_size=batch):
        seq = entry.seq or 0  # sealed entries only
        if seq != expected_seq:
            report.problems.append(
                _("entries %(first)d to %(last)d are missing") % {"first": expected_seq, "last": seq - 1}
            )
            prev_hash = entry.prev_hash  # go on from here, so one deletion is reported once
        if entry.prev_hash != prev_hash:
            report.problems.append(_("entry %(seq)d does not follow the entry before it") % {"seq": seq})
        if entry_hash(entry, seq=seq, prev_hash=entry.prev_hash) != entry.hash:
            report.problems.append(_("entry %(seq)d was changed after it was written") % {"seq": seq})
        report.checked += 1
        expected_seq, prev_hash = seq + 1, entry.hash
    return report


def audit_entries_about(*, user_id: int) -> QuerySet[AuditEntry]:
    """Entries by or about a person (their export)."""
    return AuditEntry.objects.filter(Q(subject_id=user_id) | Q(actor_id=user_id)).order_by("id")


def audit_entry_list(
    *,
    people: Any = None,
    target_type: str = "",
    target_id: str = "",
    action: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered: ``people`` (ids, or a query of ids) as actor or subject, the object
    (type, and id with it), an action prefix ("enrolment." or "enrolment.create"), ``since <= at < until``."""
    entries = AuditEntry.objects.all()
    if people is not None:
        entries = entries.filter(Q(actor_id__in=people) | Q(subject_id__in=people))
    if target_type:
        entries = entries.filter(target_type=target_type)
        if target_id:
            entries = entries.filter(target_id=target_id)
    if action:
        entries = entries.filter(action__startswith=action)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.order_by("-id")
