"""What only the combining layer owns: calendar subscriptions across cohorts and people."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from trainings.models import Cohort


class CalendarFeed(TimeStampedModel):
    """An iCalendar subscription behind an unguessable token: a cohort's or one person's."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        db_table = "participants_calendarfeed"
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=False, user__isnull=True) | Q(cohort__isnull=True, user__isnull=False),
                name="calendar_feed_cohort_or_person",
            ),
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(revoked_at__isnull=True, cohort__isnull=False),
                name="calendar_feed_one_live_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True, user__isnull=False),
                name="calendar_feed_one_live_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(self.cohort or self.user)
