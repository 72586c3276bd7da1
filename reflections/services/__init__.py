"""Writes for reflections, by topic: building questionnaires (and their tables), giving them to cohorts and runs."""

from reflections.services.administrations import (
    administration_close,
    administration_create,
    administration_delete,
    administration_update,
    reminders_due,
)
from reflections.services.questionnaires import (
    ChoiceInput,
    QuestionInput,
    question_create,
    question_delete,
    question_move,
    question_update,
    questionnaire_create,
    questionnaire_delete,
    questionnaire_duplicate,
    questionnaire_has_answers,
    questionnaire_questions_save,
    questionnaire_translations_save,
    questionnaire_update,
    questions_reorder,
)
from reflections.services.transfer import QuestionImportError, questions_export, questions_import, questions_response

__all__ = [
    "ChoiceInput",
    "QuestionImportError",
    "QuestionInput",
    "administration_close",
    "administration_create",
    "administration_delete",
    "administration_update",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "questionnaire_create",
    "questionnaire_delete",
    "questionnaire_duplicate",
    "questionnaire_has_answers",
    "questionnaire_questions_save",
    "questionnaire_translations_save",
    "questionnaire_update",
    "questions_export",
    "questions_import",
    "questions_reorder",
    "questions_response",
    "reminders_due",
]
