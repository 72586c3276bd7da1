"""Pages of reflections: the questionnaire builder (``questionnaires``) and giving questionnaires
(``administrations``)."""

from django import forms

from core.exceptions import ApplicationError


def form_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Put a service's refusal on the form: each message next to its field, the rest above the form."""
    for key, messages in error.field_errors.items():
        target = key if key in form.fields else None
        for message in messages:
            form.add_error(target, message)
    if error.message:
        form.add_error(None, error.message)
