"""Reading the audit trail: verifying the chain, the entries about a person, filtered lists."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

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
            report.problems.append(f"entries {expected_seq} to {seq - 1} are missing")
            prev_hash = entry.prev_hash  # go on from here, so one deletion is reported once
        if entry.prev_hash != prev_hash:
            report.problems.append(f"entry {seq} does not follow the entry before it")
        if entry_hash(entry, seq=seq, prev_hash=entry.prev_hash) != entry.hash:
            report.problems.append(f"entry {seq} was changed after it was written")
        report.checked += 1
        expected_seq, prev_hash = seq + 1, entry.hash
    return report


def audit_entries_about(*, user_id: int) -> QuerySet[AuditEntry]:
    """Entries by or about a person (their export)."""
    return AuditEntry.objects.filter(Q(subject_id=user_id) | Q(actor_id=user_id)).order_by("id")
