"""Helpers for forms whose ``form_valid`` calls a service."""

from django import forms
from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError


def add_service_errors(form: forms.BaseForm, error: ApplicationError | ValidationError) -> None:
    """Put a service's refusal on the form, field by field where the field exists."""
    if isinstance(error, ApplicationError):
        items = list(error.as_dict().items())
    elif hasattr(error, "error_dict"):
        items = list(error.message_dict.items())
    else:
        items = [("__all__", error.messages)]
    for field, messages in items:
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class SmallNumberInput(forms.NumberInput):
    """A whole number of a few digits (an order, a capacity, minutes): a box as wide as its digits.

    ``inputmode`` asks phones for the digit keypad; the CSS class gives the box a width in ``ch``
    instead of the full width text fields take.
    """

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "class": "input--number", **(attrs or {})})
