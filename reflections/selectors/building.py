"""Reads for the questionnaire builder and the administrations, shared by pages and the API."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from exercises.models import ExerciseRun
from reflections.models import Administration, Choice, Question, Questionnaire
from trainings.models import Cohort, LearningObjective


def questionnaire_queryset(*, user: Any) -> QuerySet[Questionnaire]:
    """The questionnaires ``user`` may see, with their question counts."""
    return (
        Questionnaire.objects.visible_to(user)
        .select_related("exercise", "created_by", "duplicated_from")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-is_template", "title", "pk")
    )


def questionnaire_with_questions(*, user: Any) -> QuerySet[Questionnaire]:
    """As ``questionnaire_queryset``, with questions, their objectives and choices loaded (three queries)."""
    questions = Question.objects.select_related("objective").order_by("order")
    return questionnaire_queryset(user=user).prefetch_related(
        Prefetch("questions", queryset=questions),
        Prefetch("questions__choices", queryset=Choice.objects.order_by("order")),
    )


def question_list(*, questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.select_related("objective")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order")))
        .order_by("order")
    )


def objective_choices() -> QuerySet[LearningObjective]:
    return LearningObjective.objects.filter(is_active=True).order_by("order", "code")


def administration_queryset(*, user: Any) -> QuerySet[Administration]:
    return (
        Administration.objects.visible_to(user)
        .select_related("questionnaire", "cohort", "run__exercise")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("cohort_id", "opens_at", "pk")
    )


def administration_list(*, user: Any, cohort: Cohort | None = None, run: ExerciseRun | None = None) -> list[Any]:
    """A cohort's administrations (its runs' too), or one run's."""
    administrations = administration_queryset(user=user)
    if run is not None:
        administrations = administrations.filter(run=run)
    elif cohort is not None:
        administrations = administrations.filter(cohort=cohort)
    return list(administrations.prefetch_related("reminders"))


def administrable_questionnaires(*, user: Any) -> QuerySet[Questionnaire]:
    """Questionnaires ``user`` may give: those they see that have a question to answer."""
    return (
        Questionnaire.objects.visible_to(user)
        .filter(questions__kind__in=[k for k in Question.Kind.values if k != Question.Kind.SECTION])
        .distinct()
        .order_by("title", "pk")
    )
