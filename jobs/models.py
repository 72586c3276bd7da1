"""One record per background request a person makes: certificates, ZIPs, reports, long imports.

The app sits below the domains (between accounts and trainings), so it knows no domain model: a job
names its kind, and the domain that owns the kind registers how to run it and who may see it
(``jobs.registry``). ``scope`` ("cohort:12", "run:7") lets a domain list its jobs on its own pages.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs import registry
from jobs.querysets import JobQuerySet

DEDUPE_KEY_LENGTH = 200
SCOPE_LENGTH = 64


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    # A UUID: job pages and downloads never reveal how many jobs exist, nor invite counting.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The registered kind (jobs.registry), e.g. "certificates.issue".
    kind = models.CharField(_("kind"), max_length=64)
    input = models.JSONField(_("input"), default=dict, blank=True)
    # Two requests with the same key while one is queued or running get the same job.
    dedupe_key = models.CharField(_("deduplication key"), max_length=DEDUPE_KEY_LENGTH)
    scope = models.CharField(_("scope"), max_length=SCOPE_LENGTH, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    # A short summary for pages and the API (counts, ids); never personal data.
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True, max_length=255)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    result_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # After this the file is deleted by the purge (beat); the row stays as history.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # A message for the person who asked; details go to the log.
    error = models.TextField(_("error"), blank=True)
    # Runs started (by job_run), and times the sweep queued it again; both are bounded.
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requeues = models.PositiveIntegerField(_("requeues"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Running: the worker holds the job until then, and renews it with each step of progress; a lapsed
    # lease means the worker was lost and the sweep queues the job again. Queued: the sweep leaves the
    # job alone until then (it was queued again, or waits for the task's retry).
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(state__in=["queued", "running"]),
                name="jobs_job_one_active_per_key",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")) | Q(progress_total=0),
                name="jobs_job_progress_within_total",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running"], finished_at__isnull=True)
                | Q(state__in=["succeeded", "failed"], finished_at__isnull=False),
                name="jobs_job_finished_when_done",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "lease_until"], name="jobs_job_state_lease"),
            models.Index(fields=["requested_by", "-requested_at"], name="jobs_job_requester"),
            models.Index(fields=["expires_at"], name="jobs_job_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def label(self) -> str:
        """The kind's label for pages ("Issue certificates"); the kind's name if nobody registered it."""
        kind = registry.kind_for(self.kind)
        return str(kind.label) if kind else self.kind

    def has_result_file(self, *, now: dt.datetime | None = None) -> bool:
        """Whether the result file can be downloaded now (kept, and not past its expiry)."""
        if not self.result_file or self.state != self.State.SUCCEEDED:
            return False
        return self.expires_at is None or self.expires_at > (now or timezone.now())
