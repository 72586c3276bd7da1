from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from participants.querysets import EnrolmentQuerySet, ParticipantQuerySet
from trainings.models import Agency, Cohort, Session


class Participant(TimeStampedModel):
    """An officer or staff member of an agency who takes part in training."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="participants", verbose_name=_("agency")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. RO."))
    # The person's language is their account's (accounts.User.language); rosters and the API call it
    # preferred_language.

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__email"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.country = self.country.upper()
        super().save(*args, **kwargs)


class Enrolment(TimeStampedModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        WAITLISTED = "waitlisted", _("On the waiting list")
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Statuses that take one of the cohort's places.
    PLACE_STATUSES: ClassVar = (Status.INVITED, Status.ENROLLED, Status.COMPLETED)
    # Statuses of people expected at the sessions: they play in teams, are told of changes and clashes.
    ATTENDING_STATUSES: ClassVar = (Status.INVITED, Status.ENROLLED)
    # Statuses that let the person see their cohort (trainings.CohortMember mirrors them).
    ACCESS_STATUSES: ClassVar = (Status.INVITED, Status.WAITLISTED, Status.ENROLLED, Status.COMPLETED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cohort"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("participant")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "participant__user__last_name", "participant__user__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["cohort", "participant"],
                name="enrolment_unique_participant",
                violation_error_message=_("This person is already enrolled in the cohort."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="enrolment_waitlist_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.cohort}"


class EnrolmentStatusChange(models.Model):
    """Who changed an enrolment's status, and when: the enrolment's history."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Enrolment.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField()
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["enrolment", "changed_at", "pk"]
        verbose_name = _("enrolment status change")
        verbose_name_plural = _("enrolment status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.session}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.enrolment_id and self.session_id and self.enrolment.cohort_id != self.session.cohort_id:
            raise ValidationError(_("The session belongs to another cohort."))


class RosterImport(TimeStampedModel):
    """An uploaded roster waiting for the coordinator to confirm its preview, then its outcome."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        COMMITTED = "committed", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The upload as parsed once, when it was stored (core.tabular.Table.as_json): previews never parse again.
    parsed = models.JSONField(_("parsed rows"), default=dict, blank=True, editable=False)
    # When the retention sweep deleted the file and its parsed rows (CONCORD_ROSTER_FILE_DAYS).
    purged_at = models.DateTimeField(_("file deleted"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.filename} · {self.cohort}"
