from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.languages import language_local_name


class LanguageForm(forms.Form):
    """A person's language: every language of ``LANGUAGES`` in its own name, or none."""

    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_(
            "Your e-mails and certificates are written in it, and pages are shown in it once their "
            "translation is complete. Without one, pages follow your browser."
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Not chosen")),
            *((code, language_local_name(code)) for code, _name in settings.LANGUAGES),
        ]


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: lost phone, reported by telephone on 3 December."),
    )
