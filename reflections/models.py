"""Reflection questionnaires, where they are given, and their answers (services, pages and API: issue #9).

The shape keeps anonymity true in the schema, not only in the pages:

- a ``Questionnaire`` is content (questions, choices, their translations) and can be a template;
- an ``Administration`` gives it to a cohort or to one exercise run, open from one time to another;
  a pre/post pair is one questionnaire administered twice (``stage``);
- a ``Draft`` holds one person's answers while they work; it is deleted when they submit;
- a ``Response`` and its ``Answer``s never name the respondent, carry a day rather than a time, and use
  random keys, so neither a timestamp nor a row order tells who answered first;
- a ``Completion`` records that a person answered (reminders need it), apart from the response, and links
  it only for a named (non-anonymous) questionnaire;
- ``Reminder`` rows are the table of due reminders a beat sweep works through; ``ReminderDelivery``
  makes each person reminded once per reminder.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from exercises.models import Exercise, ExerciseRun, RunTeam
from participants.models import Participant
from trainings.models import Cohort, LearningObjective

# Anonymous results are shown from this many respondents up, by default (Administration.min_respondents).
DEFAULT_MIN_RESPONDENTS = 5


class Questionnaire(TimeStampedModel):
    """A set of reflection questions, written in ``language`` and optionally translated question by question."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("Answers are stored with no link to the person who gave them.")
    )
    is_template = models.BooleanField(
        _("template"), default=False, help_text=_("Offered as a starting point when building a questionnaire.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The questions' own language."),
    )
    exercise = models.ForeignKey(
        Exercise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("exercise"),
    )
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question, or a section heading. ``translations`` maps a language code to ``{"text", "help_text",
    "low_label", "high_label"}``; answers are stored by choice key, so results merge across languages."""

    class Kind(models.TextChoices):
        SECTION = "section", _("Section heading")
        TEXT = "text", _("Free text")
        SCALE = "scale", _("Scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        YES_NO = "yes_no", _("Yes or no")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(_("question"))
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    required = models.BooleanField(_("required"), default=False)
    objective = models.ForeignKey(
        LearningObjective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("learning objective"),
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale points"), null=True, blank=True, help_text=_("5 or 7, for a scale question.")
    )
    low_label = models.CharField(_("label of the lowest point"), max_length=80, blank=True)
    high_label = models.CharField(_("label of the highest point"), max_length=80, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="question_unique_order"),
            models.CheckConstraint(
                condition=(Q(kind="scale", scale_max__isnull=False) & Q(scale_max__in=[5, 7]))
                | (~Q(kind="scale") & Q(scale_max__isnull=True)),
                name="question_scale_points",
                violation_error_message=_("A scale has 5 or 7 points; other questions have none."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="section") | Q(required=False),
                name="question_section_not_required",
                violation_error_message=_("A section heading is not answered, so it cannot be required."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    """An option of a single or multiple choice question; ``key`` is what answers store."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_unique_key"),
            models.UniqueConstraint(fields=["question", "order"], name="choice_unique_order"),
        ]

    def __str__(self) -> str:
        return self.label


class Administration(TimeStampedModel):
    """A questionnaire given to a cohort, or to one of its exercise runs, open from ``opens_at`` to ``closes_at``."""

    class Stage(models.TextChoices):
        ONCE = "once", _("Once")
        PRE = "pre", _("Before the course")
        POST = "post", _("After the course")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="administrations", verbose_name=_("questionnaire")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="questionnaire_administrations", verbose_name=_("cohort")
    )
    run = models.ForeignKey(
        ExerciseRun,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_administrations",
        verbose_name=_("exercise run"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.ONCE)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    min_respondents = models.PositiveSmallIntegerField(
        _("fewest respondents shown"),
        default=DEFAULT_MIN_RESPONDENTS,
        validators=[MinValueValidator(2)],
        help_text=_("Results of an anonymous questionnaire appear only from this many answers, per group too."),
    )
    remind_after_hours = models.PositiveIntegerField(
        _("first reminder after (hours)"),
        null=True,
        blank=True,
        help_text=_("Hours after the run ends (or after opening) to remind those who have not answered."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cohort", "opens_at", "pk"]
        verbose_name = _("questionnaire administration")
        verbose_name_plural = _("questionnaire administrations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="administration_closes_after_opening",
                violation_error_message=_("A questionnaire closes after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(min_respondents__gte=2),
                name="administration_min_respondents_2",
                violation_error_message=_("Results need at least two respondents to stay anonymous."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} · {self.run or self.cohort}"


class Draft(models.Model):
    """One person's answers in progress, saved as they go; deleted when they submit.

    ``answers`` maps a question id (as a string) to its value: text, a number, choice keys, or true/false.
    """

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="drafts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reflection_drafts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        ordering = ["administration", "pk"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["administration", "participant"], name="draft_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.administration} · {self.participant}"


class Response(models.Model):
    """One submitted set of answers. It never names the respondent (see Completion), carries a day rather
    than a time, has a random key, and records no language: a cohort's only Romanian speaker would be named
    by it. ``team`` is kept for per-team results, which are shown only from ``min_respondents`` up."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Typed in from paper")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(RunTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ONLINE)
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        # By the random key: no order reveals who answered first.
        ordering = ["administration", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.administration} · {self.submitted_on}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    yes = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["response", "question__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=7), name="answer_number_1_to_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text or self.number or self.choices or self.yes}"


class Completion(models.Model):
    """That a person answered an administration. A named questionnaire also links the response."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="completions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"))
    response = models.OneToOneField(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completion",
        help_text=_("Empty for anonymous questionnaires."),
    )

    class Meta:
        ordering = ["administration", "participant"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["administration", "participant"],
                name="completion_once_per_person",
                violation_error_message=_("This person has already answered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.administration} · {self.participant}"


class Reminder(models.Model):
    """A reminder due at ``due_at`` to everyone who has not answered; the beat sweep marks it ``swept_at``."""

    class Kind(models.TextChoices):
        AFTER_RUN = "after_run", _("After the run")
        BEFORE_CLOSE = "before_close", _("The day before closing")
        NOW = "now", _("Sent by a facilitator")

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    due_at = models.DateTimeField(_("due at"))
    swept_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["administration", "kind"],
                condition=~Q(kind="now"),
                name="reminder_scheduled_once",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["due_at"], condition=Q(swept_at__isnull=True), name="reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.administration} · {self.get_kind_display()}"


class ReminderDelivery(models.Model):
    """That one person was reminded by one reminder: at most once, even if the sweep runs twice."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["reminder", "pk"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["reminder", "participant"], name="reminder_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.participant}"
