from django import forms
from django.utils.translation import gettext_lazy as _


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: lost phone, reported by telephone on 3 December."),
    )
