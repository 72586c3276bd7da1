"""The live conduct of an exercise run: the phase clock's record, inject releases and their acknowledgements,
messages between teams and the cell, the facilitators' observations and notebooks, and the hot-wash board."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conduct.querysets import ObservationQuerySet
from core.models import TimeStampedModel
from exercises.models import CellRole, ExerciseRun, Inject, Phase, RunTeam
from trainings.models import AgencyKind, LearningObjective


class Observation(TimeStampedModel):
    """A facilitator's note during a run, optionally about a team, phase, inject or objective."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="observations"
    )
    observed_at = models.DateTimeField(_("observed at"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    team = models.ForeignKey(RunTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    inject = models.ForeignKey(Inject, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("text"))
    shareable = models.BooleanField(
        _("may be shown in the debrief"),
        default=False,
        help_text=_("Otherwise the note is for the facilitators only."),
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        db_table = "exercises_observation"
        ordering = ["run", "observed_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="observation_rating_1_to_5",
                violation_error_message=_("A rating runs from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class RunEvent(models.Model):
    """One change of a run's clock, in order: the console's timeline and the source of its arithmetic.

    ``phase`` is the phase the change concerns (the one started, advanced to, paused, extended or
    finished); ``minutes`` is set on extensions only. Paused time and extensions are derived from
    these rows (conduct.clock), so a reload, a second device or a restart shows the same clock.
    """

    class Kind(models.TextChoices):
        START = "start", _("Started")
        ADVANCE = "advance", _("Next phase")
        PAUSE = "pause", _("Paused")
        RESUME = "resume", _("Resumed")
        EXTEND = "extend", _("Extended")
        FINISH = "finish", _("Finished")

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)

    class Meta:
        ordering = ["run", "at", "pk"]
        verbose_name = _("run event")
        verbose_name_plural = _("run events")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(kind="extend", minutes__gte=1) | (~Q(kind="extend") & Q(minutes__isnull=True)),
                name="run_event_minutes_for_extensions_only",
                violation_error_message=_("Only an extension carries minutes, and at least one."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["run", "at"], name="run_event_run_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%H:%M}"


class RunNotebook(TimeStampedModel):
    """One facilitator's free notes on a run: a single text per run and author, saved in place.

    Not an Observation ``kind``: a notebook has no time, phase, team or rating of its own, and there
    is one per person, which a unique constraint here says plainly.
    """

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="notebooks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("facilitator notebook")
        verbose_name_plural = _("facilitator notebooks")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["run", "author"], name="run_notebook_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.author}"


class InjectRelease(models.Model):
    """What became of an inject in a run: released to some teams, or skipped.

    A planned inject has at most one row per run (pending while it has none); an ad-hoc inject,
    written on the spot by a facilitator, has no ``inject``. The title and message are copied at
    release, so the record stays true if the exercise's master events list changes later.
    """

    class Status(models.TextChoices):
        RELEASED = "released", _("Released")
        SKIPPED = "skipped", _("Skipped")

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="inject_releases")
    inject = models.ForeignKey(
        Inject, on_delete=models.PROTECT, null=True, blank=True, related_name="releases", verbose_name=_("inject")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    delivered_by = models.ForeignKey(CellRole, on_delete=models.PROTECT, null=True, blank=True, related_name="releases")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    automatic = models.BooleanField(_("released automatically"), default=False)
    dependency_overridden = models.BooleanField(
        _("released before its dependency"),
        default=False,
        help_text=_("The inject it depends on had not been released."),
    )
    teams = models.ManyToManyField(RunTeam, through="InjectDelivery", related_name="inject_releases", blank=True)

    class Meta:
        ordering = ["run", "at", "pk"]
        verbose_name = _("inject release")
        verbose_name_plural = _("inject releases")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["run", "inject"],
                condition=Q(inject__isnull=False),
                name="inject_release_once_per_run",
                violation_error_message=_("This inject was already released or skipped in this run."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["run", "at"], name="inject_release_run_at")]

    def __str__(self) -> str:
        return f"{self.title} · {self.get_status_display()}"


class InjectDelivery(models.Model):
    """A released inject as one team received it, and when one of its members acknowledged it."""

    release = models.ForeignKey(InjectRelease, on_delete=models.CASCADE, related_name="deliveries")
    team = models.ForeignKey(RunTeam, on_delete=models.CASCADE, related_name="inject_deliveries")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["release", "team__team_role__number"]
        verbose_name = _("inject delivery")
        verbose_name_plural = _("inject deliveries")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["release", "team"], name="inject_delivery_once_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.release} → {self.team}"


class Message(models.Model):
    """A message or request between the agencies of a run: sent by a team, a cell role, or exercise control
    (neither), to one or more teams or cell roles (``MessageRecipient``). The record of information exchange."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="run_messages")
    sender_team = models.ForeignKey(
        RunTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="sent_messages"
    )
    sender_cell_role = models.ForeignKey(
        CellRole, on_delete=models.PROTECT, null=True, blank=True, related_name="sent_messages"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )

    class Meta:
        ordering = ["run", "sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(sender_team__isnull=True) | Q(sender_cell_role__isnull=True),
                name="message_one_sender",
                violation_error_message=_("A message is sent by one team or one cell role."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["run", "sent_at"], name="message_run_sent_at")]

    def __str__(self) -> str:
        return self.subject or self.body[:60]


class MessageRecipient(models.Model):
    """One addressee of a message (a team or a cell role), with when it first read and first replied."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    team = models.ForeignKey(RunTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="received_messages")
    cell_role = models.ForeignKey(
        CellRole, on_delete=models.PROTECT, null=True, blank=True, related_name="received_messages"
    )
    first_read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    first_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_reply_at = models.DateTimeField(_("first reply at"), null=True, blank=True)

    class Meta:
        ordering = ["message", "pk"]
        verbose_name = _("message recipient")
        verbose_name_plural = _("message recipients")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, cell_role__isnull=True) | Q(team__isnull=True, cell_role__isnull=False),
                name="message_recipient_team_or_cell_role",
                violation_error_message=_("A message goes to a team or to a cell role."),
            ),
            models.UniqueConstraint(fields=["message", "team"], name="message_recipient_team_once"),
            models.UniqueConstraint(fields=["message", "cell_role"], name="message_recipient_cell_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message} → {self.team or self.cell_role}"


class HotwashItem(TimeStampedModel):
    """A point on the debriefing phase's hot-wash board: a strength or an area for improvement,
    tagged to a team or an agency kind, and to a learning objective."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        IMPROVEMENT = "improvement", _("Area for improvement")

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="hotwash_items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    team = models.ForeignKey(RunTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="hotwash_items")
    agency_kind = models.CharField(_("agency kind"), max_length=32, choices=AgencyKind.choices, blank=True)
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.SET_NULL, null=True, blank=True, related_name="hotwash_items"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["run", "kind", "created_at", "pk"]
        verbose_name = _("hot-wash item")
        verbose_name_plural = _("hot-wash items")

    def __str__(self) -> str:
        return self.text[:60]
