"""Forms of the certificate pages; each hands one service its input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, CertificatePolicy, EligibilityOverride
from certificates.services import POLICY_FIELDS
from reflections.models import Administration
from trainings.models import Cohort


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CertificatePolicy
        fields = POLICY_FIELDS

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the questionnaires given to this cohort (or to its runs).
        self.fields["reflection"].queryset = Administration.objects.filter(cohort=cohort).select_related(  # type: ignore[attr-defined]
            "questionnaire"
        )
        self.fields["reflection"].label_from_instance = lambda a: a.questionnaire.title  # type: ignore[attr-defined]
        self.fields["min_attendance_percent"].help_text = _("Used when the attendance rule is a minimum share.")
        self.fields["hours"].help_text = _("Leave empty to print the length of the cohort's held sessions.")
        self.fields["issuer"].help_text = _("Leave empty for the platform's default issuer.")


class OverrideForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule that does not apply"), choices=EligibilityOverride.Rule.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the certificate's history; the public verification page shows only that it was revoked."),
    )


class ReissueForm(forms.Form):
    holder_name = forms.CharField(label=_("Name to print"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, certificate: Certificate, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"holder_name": certificate.holder_name})
        super().__init__(*args, **kwargs)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("As printed on the certificate, e.g. K7QD-3M9X-AB12-ZZ90."),
    )
