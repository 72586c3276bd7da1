"""What reflections holds about people (privacy.registry). Anonymous answers hold no link to anyone, so
they are neither exported nor erased; named answers are reached through the person's completion."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, not_personal, register


def _named_answers(user: Any) -> QuerySet[Any]:
    from reflections.models import Answer

    return Answer.objects.filter(response__completion__participant__user=user).order_by(
        "response__submitted_on", "question__order", "pk"
    )


def register_personal_data() -> None:
    register(
        Holding(
            model="reflections.Completion",
            person="participant__user",
            title=_("Questionnaires you answered"),
            fields=("administration__questionnaire__title", "administration__stage", "completed_at"),
            blank=("response",),
            purpose=_("To know who has answered, so that reminders go only to those who have not."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_(
                "Kept under the anonymous label, so that response rates stay right; a named questionnaire's "
                "answers are no longer linked to you."
            ),
            retention_setting="CONCORD_RETENTION_COHORT_DAYS",
        ),
        Holding(
            model="reflections.Answer",
            person="response",
            title=_("Your answers to named questionnaires"),
            fields=(
                "response__administration__questionnaire__title",
                "question__text",
                "text",
                "number",
                "choices",
                "yes",
            ),
            text=("text",),
            rows=_named_answers,
            purpose=_("A named questionnaire's answers, read by the course staff."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The answers stay in the results, unlinked from you, with your name taken out of the text."),
        ),
        Holding(
            model="reflections.Draft",
            person="participant__user",
            title=_("Answers you have not submitted yet"),
            fields=("administration__questionnaire__title", "updated_at", "answers"),
            purpose=_("To keep your answers while you work on a questionnaire."),
            erasure=Erasure.DELETE,
            erasure_note=_("Deleted."),
        ),
        Holding(
            model="reflections.ReminderDelivery",
            person="participant__user",
            title=_("Reminders sent to you"),
            fields=("reminder__administration__questionnaire__title", "reminder__kind", "sent_at"),
            purpose=_("To remind you once, not twice."),
            erasure=Erasure.DELETE,
            erasure_note=_("Deleted."),
        ),
        Holding(
            model="reflections.Questionnaire",
            person="created_by",
            title=_("Questionnaires you wrote"),
            fields=("title", "created_at"),
            purpose=_("To show who wrote a questionnaire."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        ),
        Holding(
            model="reflections.Administration",
            person="created_by",
            title=_("Questionnaires you gave to a cohort"),
            fields=("questionnaire__title", "cohort__name", "opens_at", "closes_at"),
            purpose=_("To show who gave a questionnaire."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        ),
        Holding(
            model="reflections.Reminder",
            person="requested_by",
            title=_("Reminders you sent"),
            fields=("administration__questionnaire__title", "kind", "due_at"),
            purpose=_("To show who sent a reminder."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        ),
    )
    not_personal("reflections.Questionnaire", ("introduction",), _("Questionnaire content."))
    not_personal("reflections.Question", ("text", "translations"), _("Questionnaire content."))
    not_personal("reflections.Choice", ("translations",), _("Questionnaire content."))
    not_personal(
        "reflections.Answer",
        ("choices",),
        _("The keys of the choices ticked; anonymous answers hold no link to anyone."),
    )
