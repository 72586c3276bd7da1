"""What privacy itself keeps: the record of each erasure, without what was erased."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("Erased by a coordinator")
        RETENTION = "retention", _("Retention period over")

    # A plain id: the account stays, anonymised, and this says when and why it was.
    person_id = models.BigIntegerField(_("person"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased at"))
    # How many rows each holding changed ({"conduct.Observation": 3}): counts, never content.
    counts = models.JSONField(_("rows changed"), default=dict, blank=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"#{self.person_id} · {self.erased_at:%Y-%m-%d}"
