"""The live conduct of an exercise run: the facilitators' observations (and, with issue #8, the console's records)."""

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
