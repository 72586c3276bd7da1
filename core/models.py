from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A task to publish to the broker, written in the transaction of the work that asked for it.

    The row commits or rolls back with that work. After the commit it is published once; what the
    broker did not take stays pending, and the beat sweep (``core.outbox.outbox_sweep``) publishes it later.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    # Queuing again with a key already used adds nothing (while the row is kept: outbox_purge).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("publish attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="core_outbox_unique_dedupe_key"
            ),
            models.CheckConstraint(
                condition=Q(state="pending", published_at__isnull=True) | Q(state="sent", published_at__isnull=False),
                name="core_outbox_published_when_sent",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="core_outbox_state_created")]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.state})"


class SentMark(models.Model):
    """One email (or other one-off effect) that was sent, or is being sent now: ``core.mail.send_once``."""

    class State(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    # sha256 of the caller's key: any tuple of ids and names fits, and the index stays small.
    key = models.CharField(_("key"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENDING)
    # Who holds a claim while sending: a failed send releases only its own claim.
    claim = models.CharField(_("claim"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent mark")
        verbose_name_plural = _("sent marks")
        indexes = [models.Index(fields=["state", "sent_at"], name="core_sentmark_state_sent")]

    def __str__(self) -> str:
        return f"{self.label or self.key} ({self.state})"
