"""What the exercises' forms share."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from core.text import excerpt

_CHOICES_SHOWN = 200


class NamedChoicesMixin:
    """Choice fields that refuse a value name the choices there are (hardening item 26): Django's
    “Select a valid choice. x is not one of the available choices.” does not say which they are.
    Model choice fields (a select of rows) keep Django's message."""

    fields: dict[str, forms.Field]
    # People choose among labels; API clients (filters) send values.
    choices_by_value = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_choices()

    def name_choices(self) -> None:
        """Call again after changing a field's choices."""
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]  # Django normalises choices to pairs
                names = [str(value if self.choices_by_value else label) for value, label in choices if value != ""]
                labels = excerpt(", ".join(names), _CHOICES_SHOWN)
                # %(value)s is filled in by the field when it refuses; a % in a label must stay one.
                field.error_messages["invalid_choice"] = _(
                    "“%(value)s” is not a valid choice; choose one of: %(choices)s."
                ) % {"value": "%(value)s", "choices": labels.replace("%", "%%")}


class FilterForm(NamedChoicesMixin, forms.Form):
    """The form of the exercises API's filters: a wrong choice names the valid values."""

    choices_by_value = True
