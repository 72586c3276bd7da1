from typing import ClassVar, TypeAlias

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from exercises.choices import ExerciseKind, InjectChannel, InjectKind, PhaseKind
from exercises.querysets import (
    ExerciseQuerySet,
    ExerciseRunQuerySet,
    RunCellMemberQuerySet,
    RunTeamQuerySet,
    TeamMembershipQuerySet,
)
from participants.models import Enrolment
from trainings.models import AgencyKind, Cohort, Course, LearningObjective, Session


class Exercise(TimeStampedModel):
    """A reusable activity, like the manual's Table 11: the full facilitator guide."""

    Kind: TypeAlias = ExerciseKind

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.SIMULATION)
    planned_minutes = models.PositiveIntegerField(_("planned duration (minutes)"))
    aim = models.TextField(_("aim"), blank=True)
    scenario = models.TextField(_("scenario"), blank=True)
    learning_objectives = models.ManyToManyField(
        LearningObjective, related_name="exercises", blank=True, verbose_name=_("learning objectives")
    )
    materials = models.TextField(_("materials needed"), blank=True)
    facilitator_guidelines = models.TextField(_("guidelines for the facilitator"), blank=True)
    tips = models.TextField(_("tips for the facilitator"), blank=True)
    online_variation = models.TextField(_("variation for online delivery"), blank=True)
    debriefing_guidance = models.TextField(_("debriefing guidance"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Set on a national variant, e.g. PL.")
    )
    # A variant in another language is a variant_of the original with its own language
    # (exercises.selectors.variants chooses what a participant reads).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en", help_text=_("What it is written in.")
    )
    variant_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="variants", verbose_name=_("variant of")
    )
    courses = models.ManyToManyField(
        Course, through="CourseExercise", related_name="exercises", blank=True, verbose_name=_("courses")
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=1),
                name="exercise_planned_minutes_positive",
                violation_error_message=_("The planned duration must be at least one minute."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:exercise_detail", kwargs={"slug": self.slug})


class CourseExercise(models.Model):
    """An exercise's place in a course; owned here so that trainings never imports exercises."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_exercises")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="course_exercises")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("course exercise")
        verbose_name_plural = _("course exercises")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["course", "exercise"], name="course_exercise_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.exercise}"


class Handout(TimeStampedModel):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="handouts")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to="handouts/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "docx", "odt", "pptx", "xlsx", "txt", "png", "jpg"])],
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    Kind: TypeAlias = PhaseKind

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PLAY)
    planned_minutes = models.PositiveIntegerField(_("planned minutes"))
    instructions = models.TextField(_("instructions"), blank=True)

    class Meta:
        ordering = ["exercise", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["exercise", "order"], name="phase_unique_order"),
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=1),
                name="phase_planned_minutes_positive",
                violation_error_message=_("A phase must last at least one minute."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.Model):
    """A role a team plays, e.g. “Team 1: Police / law enforcement”."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="team_roles")
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    agency_kind = models.CharField(
        _("agency kind"),
        max_length=32,
        choices=AgencyKind.choices,
        blank=True,
        help_text=_("Left empty for a mixed team: its positions name their agencies."),
    )
    mixed = models.BooleanField(
        _("mixed team"),
        default=False,
        help_text=_("A national multi-agency team rather than one agency's."),
    )
    planned_size = models.PositiveSmallIntegerField(
        _("planned size"), null=True, blank=True, help_text=_("How many people this team should have.")
    )
    briefing = models.TextField(_("briefing"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)

    class Meta:
        ordering = ["exercise", "number"]
        verbose_name = _("team role")
        verbose_name_plural = _("team roles")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["exercise", "number"], name="team_role_unique_number"),
            models.CheckConstraint(
                condition=Q(mixed=True) | ~Q(agency_kind=""),
                name="team_role_agency_unless_mixed",
                violation_error_message=_("A team of one agency names its agency kind."),
            ),
            models.CheckConstraint(
                condition=Q(planned_size__isnull=True) | Q(planned_size__gte=1),
                name="team_role_planned_size_positive",
                violation_error_message=_("A team's planned size is at least one."),
            ),
        ]

    def __str__(self) -> str:
        return _("Team %(number)s: %(name)s") % {"number": self.number, "name": self.name}


class TeamPosition(models.Model):
    """A seat in a mixed team, e.g. “investigator (police)”: the team assistant fills it from that agency kind."""

    team_role = models.ForeignKey(TeamRole, on_delete=models.CASCADE, related_name="positions")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    agency_kind = models.CharField(_("agency kind"), max_length=32, choices=AgencyKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)

    class Meta:
        ordering = ["team_role", "order", "pk"]
        verbose_name = _("team position")
        verbose_name_plural = _("team positions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["team_role", "name"], name="team_position_unique_name"),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="team_position_seats_positive",
                violation_error_message=_("A position has at least one seat."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_kind_display()})"


class CellRole(models.Model):
    """A role the simulation cell plays, e.g. “the embassy” or “the media”: staff, not a team of trainees."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="cell_roles")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["exercise", "name"]
        verbose_name = _("cell role")
        verbose_name_plural = _("cell roles")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["exercise", "name"], name="cell_role_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Inject(models.Model):
    """A scenario change the facilitator introduces during a run."""

    Kind: TypeAlias = InjectKind
    Channel: TypeAlias = InjectChannel

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEW_INFORMATION)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.IN_PERSON)
    sender = models.CharField(
        _("from"), max_length=200, blank=True, help_text=_("Who the message appears to come from.")
    )
    delivered_by = models.ForeignKey(
        CellRole,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="injects",
        verbose_name=_("delivered by"),
        help_text=_("The cell role that delivers it, instead of a free-text sender."),
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="injects", verbose_name=_("phase")
    )
    minute_offset = models.PositiveIntegerField(
        _("minute offset"), default=0, help_text=_("Minutes after the start of its phase.")
    )
    target_roles = models.ManyToManyField(TeamRole, related_name="injects", blank=True, verbose_name=_("target teams"))
    expected_actions = models.TextField(_("expected actions"), blank=True)
    learning_objectives = models.ManyToManyField(
        LearningObjective, related_name="injects", blank=True, verbose_name=_("learning objectives")
    )
    depends_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on"),
    )

    class Meta:
        ordering = ["exercise", "number"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["exercise", "number"], name="inject_unique_number"),
            models.CheckConstraint(
                condition=~Q(depends_on=F("pk")),
                name="inject_not_own_dependency",
                violation_error_message=_("An inject cannot depend on itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.phase_id and self.exercise_id and self.phase.exercise_id != self.exercise_id:
            errors["phase"] = _("The phase belongs to another exercise.")
        if self.delivered_by_id and self.exercise_id and self.delivered_by.exercise_id != self.exercise_id:
            errors["delivered_by"] = _("The cell role belongs to another exercise.")
        if self.depends_on_id and self.exercise_id and self.depends_on.exercise_id != self.exercise_id:
            errors["depends_on"] = _("An inject can only depend on an inject of the same exercise.")
        if self.phase_id and self.phase and self.minute_offset >= self.phase.planned_minutes:
            errors["minute_offset"] = _("The offset must fall inside the phase (%(minutes)s minutes).") % {
                "minutes": self.phase.planned_minutes
            }  # type: ignore[assignment]  # a lazy string formatted to str
        if errors:
            raise ValidationError(errors)


class InjectAttachment(TimeStampedModel):
    """A file an inject carries (a scanned passport, a police report, a map): its target teams see it
    once the inject is released. Uploaded under the platform's upload rules."""

    inject = models.ForeignKey(Inject, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to="injects/%Y/",
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg", "txt", "docx", "odt", "xlsx"])],
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["inject", "order", "pk"]
        verbose_name = _("inject attachment")
        verbose_name_plural = _("inject attachments")

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]


class ExerciseRun(TimeStampedModel):
    """An exercise held for a cohort, optionally inside one of its sessions."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="runs", verbose_name=_("exercise"))
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exercise_runs", verbose_name=_("cohort"))
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exercise_run",
        verbose_name=_("session"),
    )
    lead_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_runs",
        verbose_name=_("lead facilitator"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    teams_confirmed_at = models.DateTimeField(_("teams confirmed at"), null=True, blank=True)
    teams_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auto_release_injects = models.BooleanField(
        _("release injects at their planned time"),
        default=False,
        help_text=_("Planned injects release themselves when their phase reaches their offset; a pause holds them."),
    )
    video_url = models.URLField(_("video room"), blank=True, help_text=_("The plenary room for online delivery."))
    # Bumped (F() + 1) by every conduct service that changes what a team room shows, in the same
    # transaction: the rooms' poll compares it with the version the page holds.
    live_version = models.PositiveIntegerField(_("live version"), default=0, editable=False)
    # The run's own share of its calendar event's SEQUENCE (portal.calendars adds the session's):
    # exercises.services.runs bumps it when the run changes session or its phases change.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)

    objects = ExerciseRunQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "session__starts_at", "pk"]
        verbose_name = _("exercise run")
        verbose_name_plural = _("exercise runs")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False, ended_at__gte=F("started_at")),
                name="run_ends_after_start",
                violation_error_message=_("A run cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} · {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("exercises:run_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.session_id and self.cohort_id and self.session.cohort_id != self.cohort_id:
            raise ValidationError({"session": _("The session belongs to another cohort.")})


class RunPhase(models.Model):
    """A phase of a run: where it is planned (a session of the run's cohort and a start inside it, for a
    run over several days) and when it actually started and ended (the live console writes these)."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="run_phases")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="run_phases")
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="run_phases",
        verbose_name=_("session"),
    )
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["run", "phase__order"]
        verbose_name = _("run phase")
        verbose_name_plural = _("run phases")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["run", "phase"], name="run_phase_unique"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False, ended_at__gte=F("started_at")),
                name="run_phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.phase}"


class RunTeam(models.Model):
    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="teams")
    team_role = models.ForeignKey(TeamRole, on_delete=models.PROTECT, related_name="run_teams")
    name = models.CharField(_("name"), max_length=200, blank=True)
    video_url = models.URLField(_("video room"), blank=True, help_text=_("The team's breakout room online."))

    objects = RunTeamQuerySet.as_manager()

    class Meta:
        ordering = ["run", "team_role__number"]
        verbose_name = _("run team")
        verbose_name_plural = _("run teams")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["run", "team_role"], name="run_team_unique_role"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.team_role)

    def clean(self) -> None:
        if self.run_id and self.team_role_id and self.team_role.exercise_id != self.run.exercise_id:
            raise ValidationError({"team_role": _("The role belongs to another exercise.")})


class TeamMembership(models.Model):
    """An enrolled person's place in one team of an exercise run."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(RunTeam, on_delete=models.CASCADE, related_name="memberships")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="team_memberships")
    position = models.ForeignKey(
        TeamPosition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("position"),
    )

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        db_table = "participants_teammembership"
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


class RunCellMember(TimeStampedModel):
    """A place in a run's simulation cell: a controller, role-player or evaluator of that run.

    Either one of the cohort's facilitators, or a guest invited by e-mail, who sees this run's cell room
    only and takes no place in the cohort. A role-player names the cell roles they play.
    """

    class Kind(models.TextChoices):
        CONTROLLER = "controller", _("Controller")
        ROLE_PLAYER = "role_player", _("Role-player")
        EVALUATOR = "evaluator", _("Evaluator")

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="cell_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cell_places")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ROLE_PLAYER)
    cell_roles = models.ManyToManyField(CellRole, related_name="players", blank=True, verbose_name=_("plays"))
    guest = models.BooleanField(
        _("guest"), default=False, help_text=_("Invited by e-mail for this run only; not on the cohort's staff.")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RunCellMemberQuerySet.as_manager()

    class Meta:
        ordering = ["run", "kind", "pk"]
        verbose_name = _("cell member")
        verbose_name_plural = _("cell members")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["run", "user"],
                name="cell_member_once_per_run",
                violation_error_message=_("This person is already in the run's cell."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"
