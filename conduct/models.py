"""The live conduct of an exercise run: the phase clock's record and the facilitators' observations."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conduct.querysets import ObservationQuerySet
from core.models import TimeStampedModel
from exercises.models import ExerciseRun, Inject, Phase, RunTeam
from trainings.models import LearningObjective


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
