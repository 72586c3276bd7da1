"""Reflections' reads, by topic: the builder and administrations (building), answering and progress
(answering). Pages and the API share them."""

from reflections.selectors.answering import (
    ChoiceView,
    Progress,
    QuestionView,
    administration_progress,
    completion_for,
    draft_for,
    member_choices,
    my_administration_queryset,
    participant_for,
    pending_administration_list,
    question_views,
    response_answers,
)
from reflections.selectors.building import (
    administrable_questionnaires,
    administration_list,
    administration_queryset,
    objective_choices,
    question_list,
    questionnaire_queryset,
    questionnaire_with_questions,
)
from reflections.selectors.results import administration_results, export_table, prepost_for

__all__ = [
    "ChoiceView",
    "Progress",
    "QuestionView",
    "administrable_questionnaires",
    "administration_list",
    "administration_progress",
    "administration_queryset",
    "administration_results",
    "completion_for",
    "draft_for",
    "export_table",
    "member_choices",
    "my_administration_queryset",
    "objective_choices",
    "participant_for",
    "pending_administration_list",
    "prepost_for",
    "question_list",
    "question_views",
    "questionnaire_queryset",
    "questionnaire_with_questions",
    "response_answers",
]
