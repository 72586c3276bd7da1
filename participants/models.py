from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from exercises.models import Exercise, ExerciseRun, RunTeam
from participants.querysets import EnrolmentQuerySet, ParticipantQuerySet, TeamMembershipQuerySet
from trainings.models import Agency, Cohort, Session


class Participant(TimeStampedModel):
    """An officer or staff member of an agency who takes part in training."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="participants", verbose_name=_("agency")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. RO."))
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

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


class TeamMembership(models.Model):
    """An enrolled person's place in one team of an exercise run."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(RunTeam, on_delete=models.CASCADE, related_name="memberships")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="team_memberships")

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "enrolment"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["run", "enrolment"],
                name="team_membership_one_team_per_run",
                violation_error_message=_("A person plays in one team per run."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.participant} · {self.team}"

    def clean(self) -> None:
        errors = {}
        if self.team_id and self.run_id and self.team.run_id != self.run_id:
            errors["team"] = _("The team belongs to another run.")
        if self.enrolment_id and self.run_id and self.enrolment.cohort_id != self.run.cohort_id:
            errors["enrolment"] = _("The person is not enrolled in the run's cohort.")
        if errors:
            raise ValidationError(errors)


class Questionnaire(TimeStampedModel):
    """A set of reflection questions, answered after an exercise run or for a whole cohort."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("Answers are stored with no link to the person who gave them.")
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.SET_NULL, null=True, blank=True, related_name="questionnaires"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        SCALE = "scale", _("Scale 1–5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(_("question"))
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("For choice questions."))

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="question_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE) and len(self.choices or []) < 2:
            raise ValidationError({"choices": _("A choice question needs at least two choices.")})


class Response(models.Model):
    """One set of answers. It never names the respondent: see Completion."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questionnaire_responses")
    run = models.ForeignKey(
        ExerciseRun, on_delete=models.CASCADE, null=True, blank=True, related_name="questionnaire_responses"
    )
    # A day, not a time: a precise time could be matched to a Completion.
    submitted_on = models.DateField()

    class Meta:
        ordering = ["questionnaire", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    selected = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["response", "question__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5), name="answer_scale_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text or self.scale or self.selected}"


class Completion(models.Model):
    """That a person answered a questionnaire. Named questionnaires also link the response."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="completions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="completions")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questionnaire_completions")
    run = models.ForeignKey(
        ExerciseRun, on_delete=models.CASCADE, null=True, blank=True, related_name="questionnaire_completions"
    )
    completed_at = models.DateTimeField()
    response = models.OneToOneField(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completion",
        help_text=_("Empty for anonymous questionnaires."),
    )

    class Meta:
        ordering = ["questionnaire", "completed_at"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["questionnaire", "participant", "cohort"],
                condition=Q(run__isnull=True),
                name="completion_unique_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "participant", "run"],
                condition=Q(run__isnull=False),
                name="completion_unique_per_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.questionnaire}"


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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.filename} · {self.cohort}"


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
