"""The audit trail: append-only entries, chained by hash so that an edited or deleted entry shows.

Entries are written unsealed (``seq`` null) in the transaction of the work they record; ``audit_seal``
later numbers them in commit order and chains each to the one before (``prev_hash``, ``hash``). On
PostgreSQL a trigger refuses every UPDATE but that sealing and every DELETE (migration 0002); SQLite has
no such guard, and the chain is what shows tampering there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    # Plain ids, no foreign keys: an entry outlives whatever it names, and erasure anonymises people in
    # place (their id stays, their identity goes), so the chain never has to change.
    actor_id = models.BigIntegerField(_("who"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("object"), max_length=64, blank=True)
    # The person the entry is about (whose profile was read, whose factor was reset): export and erasure.
    subject_id = models.BigIntegerField(_("about whom"), null=True, blank=True, db_index=True)
    ip = models.CharField(_("address"), max_length=48, blank=True, help_text=_("Shortened: the network, not the host."))
    user_agent = models.CharField(_("client"), max_length=64, blank=True)
    # Never personal data: ids, field names, counts, reasons chosen from a list.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    seq = models.BigIntegerField(_("sequence"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"
