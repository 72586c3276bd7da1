"""The improvement plan of a run or a cohort: corrective actions, who answers for them, their history and
the reminders that follow them after the course."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conduct.models import HotwashItem
from core.models import TimeStampedModel
from exercises.models import ExerciseRun
from trainings import access
from trainings.models import Agency, Cohort, LearningObjective

# Reminders go out this many days after an action was written, while it is neither done nor cancelled.
REMINDER_DAYS = (30, 60, 90)


class ImprovementActionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ImprovementActionQuerySet":
        """Coordinators all; facilitators (and named coordinators) their cohorts'; a contact their own."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if access.sees_everything(user):
            return self.all()
        return self.filter(Q(cohort_id__in=access.facilitated_cohort_ids(user)) | Q(contact_id=user.pk))

    def not_closed(self) -> "ImprovementActionQuerySet":
        return self.filter(status__in=ImprovementAction.OPEN_STATUSES)


class ImprovementAction(TimeStampedModel):
    """One corrective action of an improvement plan: the area for improvement, what is to be done, the
    agency that answers for it (and a contact there), a due date and a status. It outlives the course."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.OPEN, Status.IN_PROGRESS)

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="improvement_actions", verbose_name=_("cohort")
    )
    run = models.ForeignKey(
        ExerciseRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("exercise run"),
    )
    area = models.TextField(_("area for improvement"))
    hotwash_item = models.ForeignKey(
        HotwashItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("hot-wash point"),
    )
    objective = models.ForeignKey(
        LearningObjective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("objective"),
    )
    action = models.TextField(_("corrective action"), blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("responsible agency"),
        help_text=_("Left empty on a draft while the agency is still to be chosen."),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("contact with an account"),
        help_text=_("Sees the action and updates its status."),
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(_("status note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False) | (~Q(status="done") & Q(completed_at=None)),
                name="improvement_action_done_has_completed_at",
                violation_error_message=_("A done action has its completion time, and only a done one."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["status", "due_date"], name="improvement_action_status_due")]

    def __str__(self) -> str:
        return (self.action or self.area)[:60]

    def get_absolute_url(self) -> str:
        return reverse("reports_actions:action_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def contact_label(self) -> str:
        if self.contact is not None:
            return str(self.contact)
        return self.contact_name or self.contact_email


class ImprovementActionEvent(models.Model):
    """One change of an action's status (or its note), with who and when: the action's history."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=16, choices=ImprovementAction.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ImprovementAction.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["action", "at", "pk"]
        verbose_name = _("improvement action change")
        verbose_name_plural = _("improvement action changes")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.from_status} → {self.to_status}"


class ActionReminder(models.Model):
    """One reminder of an action, ``days`` after it was written; swept by beat once due.

    Written with the action (one row per milestone of ``REMINDER_DAYS``). A sweep marks it swept and, if
    the action is still open then, queues its e-mails (``sent``); a done or cancelled action's rows are
    swept without an e-mail.
    """

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="reminders")
    days = models.PositiveSmallIntegerField(_("days after writing"))
    due_at = models.DateTimeField(_("due at"))
    swept_at = models.DateTimeField(_("swept at"), null=True, blank=True)
    sent = models.BooleanField(_("sent"), default=False)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("improvement action reminder")
        verbose_name_plural = _("improvement action reminders")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["action", "days"], name="action_reminder_once_per_milestone"),
        ]
        indexes: ClassVar = [models.Index(fields=["swept_at", "due_at"], name="action_reminder_due")]

    def __str__(self) -> str:
        return f"{self.action_id} +{self.days}d"
