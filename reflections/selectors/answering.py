"""Reads for answering: the administrations a person answers, a questionnaire in their language, progress."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from participants.models import Participant
from reflections.models import Administration, Completion, Draft, Question, ReminderDelivery, Response
from reflections.services.reminders import administration_members
from trainings import access


def participant_for(*, user: Any) -> Participant | None:
    return Participant.objects.filter(user=user).select_related("user").first() if user.is_authenticated else None


def my_administration_queryset(*, user: Any) -> QuerySet[Administration]:
    """The administrations the user answers (their cohorts'), each with ``answered``/``has_draft`` for them."""
    participant = participant_for(user=user)
    if participant is None:
        return Administration.objects.none()
    return (
        Administration.objects.filter(cohort_id__in=access.member_cohort_ids(user))
        .select_related("questionnaire", "cohort", "run__exercise")
        .annotate(
            answered=Exists(Completion.objects.filter(administration=OuterRef("pk"), participant=participant)),
            has_draft=Exists(Draft.objects.filter(administration=OuterRef("pk"), participant=participant)),
        )
        .order_by("closes_at", "pk")
    )


def pending_administration_list(*, user: Any, now: dt.datetime | None = None, limit: int = 20) -> list[Administration]:
    """Open administrations the user has still to answer, soonest closing first; one query."""
    now = now or timezone.now()
    answered = Completion.objects.filter(participant__user=user).values("administration_id")
    return list(
        my_administration_queryset(user=user)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(pk__in=answered)[:limit]
    )


@dataclass
class ChoiceView:
    key: str
    label: str


@dataclass
class QuestionView:
    """A question as shown in one language: its own wording where that translation is missing."""

    question: Question
    text: str
    help_text: str
    low_label: str
    high_label: str
    choices: list[ChoiceView] = field(default_factory=list)
    # Filled in by a page: the value shown and the messages about it.
    value: Any = None
    errors: list[str] = field(default_factory=list)

    @property
    def chosen(self) -> list[str]:
        """The value as strings, to mark chosen options, scale points and yes/no ("yes", "no")."""
        if self.value is None or self.value == "":
            return []
        values = self.value if isinstance(self.value, list) else [self.value]
        return [("yes" if v else "no") if isinstance(v, bool) else str(v) for v in values]

    @property
    def pk(self) -> int:
        return self.question.pk

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def required(self) -> bool:
        return self.question.required

    @property
    def name(self) -> str:
        return f"q_{self.question.pk}"

    @property
    def points(self) -> list[int]:
        return list(range(1, (self.question.scale_max or 0) + 1))


def _translated(translations: Any, language: str, key: str, fallback: str) -> str:
    entry = translations.get(language) if isinstance(translations, dict) else None
    value = entry.get(key) if isinstance(entry, dict) else None
    return value if isinstance(value, str) and value.strip() else fallback


def question_views(
    *,
    administration: Administration,
    language: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[QuestionView]:
    """The questionnaire's questions and section headings in ``language``, with ``values`` and ``errors``
    (by question id, and by field name ``q_<id>``) filled in; two queries."""
    values, errors = values or {}, errors or {}
    views = []
    for question in administration.questionnaire.questions.prefetch_related("choices"):
        tr = question.translations
        choices = [
            ChoiceView(
                key=choice.key,
                label=(choice.translations.get(language) if isinstance(choice.translations, dict) else None)
                or choice.label,
            )
            for choice in question.choices.all()
        ]
        views.append(
            QuestionView(
                question=question,
                text=_translated(tr, language, "text", question.text),
                help_text=_translated(tr, language, "help_text", question.help_text),
                low_label=_translated(tr, language, "low_label", question.low_label),
                high_label=_translated(tr, language, "high_label", question.high_label),
                choices=choices,
                value=values.get(str(question.pk)),
                errors=list(errors.get(f"q_{question.pk}", [])),
            )
        )
    return views


def draft_for(*, administration: Administration, participant: Participant) -> Draft | None:
    return Draft.objects.filter(administration=administration, participant=participant).first()


def completion_for(*, administration: Administration, participant: Participant) -> Completion | None:
    return Completion.objects.filter(administration=administration, participant=participant).first()


def response_answers(*, response: Response) -> dict[str, Any]:
    """A response's answers in the drafts' shape (question id → value), for a named person's own view."""
    values: dict[str, Any] = {}
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        if kind == Question.Kind.YES_NO:
            values[str(answer.question_id)] = answer.yes
        elif kind == Question.Kind.SCALE:
            values[str(answer.question_id)] = answer.number
        elif kind == Question.Kind.SINGLE:
            values[str(answer.question_id)] = answer.choices[0] if answer.choices else None
        elif kind == Question.Kind.MULTIPLE:
            values[str(answer.question_id)] = answer.choices
        else:
            values[str(answer.question_id)] = answer.text
    return values


@dataclass
class Progress:
    members: int
    completed: int
    paper: int
    reminded: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.members) if self.members else 0


def administration_progress(*, administration: Administration) -> Progress:
    """Who has answered, as counts only (never who answered what); four queries."""
    return Progress(
        members=administration_members(administration=administration).count(),
        completed=Completion.objects.filter(administration=administration).count(),
        paper=Response.objects.filter(administration=administration, source=Response.Source.PAPER).count(),
        reminded=ReminderDelivery.objects.filter(reminder__administration=administration).count(),
    )


def member_choices(*, administration: Administration) -> QuerySet[Participant]:
    """Members who have not answered yet: whom a named paper sheet can be for."""
    answered = Completion.objects.filter(administration=administration).values("participant_id")
    return administration_members(administration=administration).exclude(pk__in=answered)
