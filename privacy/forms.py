from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.services import REASON_MAX_LENGTH


class PersonEraseForm(forms.Form):
    """The reason, and the person's e-mail address typed again: erasure cannot be undone."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: asked by the person by e-mail on 3 December. Do not write their name here."),
    )
    confirm_email = forms.CharField(
        label=_("Their e-mail address, to confirm"),
        max_length=254,
        help_text=_("Type the person's e-mail address: erasure cannot be undone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, person_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person_email = person_email

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"]
        if not email_confirms(typed, self.person_email):
            raise forms.ValidationError(_("This is not the e-mail address of the person to erase."))
        return typed


def email_confirms(typed: str, email: str) -> bool:
    """Whether the address typed is the person's (spaces around and letter case do not matter)."""
    return bool(typed) and typed.strip().lower() == email.strip().lower()
