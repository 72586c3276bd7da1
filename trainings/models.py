import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from trainings.querysets import CohortQuerySet, CourseQuerySet, SessionQuerySet
from trainings.validators import validate_time_zone


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police / law enforcement")
    BORDER_GUARD = "border_guard", _("Border guard")
    PROSECUTION = "prosecution", _("Prosecution")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    IMMIGRATION = "immigration", _("Immigration services")
    SOCIAL_SERVICES = "social_services", _("Social and welfare services")
    NGO = "ngo", _("Non-governmental organisation")
    GOVERNMENT = "government", _("Government administration / ministry")
    LOCAL_AUTHORITY = "local_authority", _("Local or administrative authority")
    INTERNATIONAL = "international", _("International organisation")
    JUDICIARY = "judiciary", _("Judiciary")
    OTHER = "other", _("Other")


class Agency(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. PL."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name", "country"], name="agency_unique_name_country"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.country = self.country.upper()
        super().save(*args, **kwargs)


class LearningObjective(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired objectives stay on old records but are not offered for new ones."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:objective_list") + f"#{self.code}"


class Course(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    learning_objectives = models.ManyToManyField(
        LearningObjective, related_name="courses", blank=True, verbose_name=_("learning objectives")
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:course_detail", kwargs={"slug": self.slug})


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Cohort(TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("course"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Warsaw", validators=[validate_time_zone]
    )
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("How many people may be enrolled at once."))
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_cohorts", blank=True, verbose_name=_("coordinators")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_cohorts", blank=True, verbose_name=_("facilitators")
    )
    # Goes up whenever the cohort page's cached parts would change: its staff, sessions, runs and the
    # runs' exercises (trainings.services.cohort_schedule_bump, called by the writers of each app).
    schedule_version = models.PositiveIntegerField(default=0, editable=False)
    # A coordinator's hold on the retention sweep (privacy): while a reason is given, the personal data
    # of this cohort's people is kept past CONCORD_RETENTION_COHORT_DAYS.
    retention_hold = models.TextField(_("reason to keep personal data"), blank=True, max_length=1000)
    retention_held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    retention_held_at = models.DateTimeField(_("held since"), null=True, blank=True, editable=False)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cohort_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="cohort_capacity_positive",
                violation_error_message=_("Capacity must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:cohort_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.delivery_mode in (DeliveryMode.ONLINE, DeliveryMode.HYBRID) and not self.video_link:
            errors["video_link"] = _("An online or hybrid cohort needs a video link.")
        if self.delivery_mode in (DeliveryMode.IN_PERSON, DeliveryMode.HYBRID) and not self.venue:
            errors["venue"] = _("An in-person or hybrid cohort needs a venue.")
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Session(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # Bumped on every change so calendar clients replace their copy (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["cohort", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:cohort_detail", kwargs={"slug": self.cohort.slug}) + f"#session-{self.pk}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class CohortMember(models.Model):
    """A person who takes part in a cohort (staff are its coordinators and facilitators).

    Written only by participants' enrolment services, in the same transaction as the enrolment it
    mirrors, so that trainings answers "who may see this cohort" and "how many places are taken"
    without reaching up into enrolments. ``participants/tests/test_members.py`` checks it never drifts.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members", verbose_name=_("cohort"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships", verbose_name=_("person")
    )
    holds_place = models.BooleanField(_("holds a place"), default=False)

    class Meta:
        ordering = ["cohort", "user"]
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohort_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort}"
