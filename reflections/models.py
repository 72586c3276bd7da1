"""Reflection questionnaires and their answers (the pages, services and API come with issue #9)."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from exercises.models import Exercise, ExerciseRun
from participants.models import Participant
from trainings.models import Cohort


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
        db_table = "participants_questionnaire"
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
        db_table = "participants_question"
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
        db_table = "participants_response"
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
        db_table = "participants_answer"
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
        db_table = "participants_completion"
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
