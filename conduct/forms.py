"""The console's forms: a quick observation and an ad-hoc inject, offering the run's own teams, injects,
objectives and cell roles only (the services check again)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from conduct.services import ADHOC_BODY_MAX_LENGTH, ADHOC_TITLE_MAX_LENGTH, OBSERVATION_MAX_LENGTH
from conduct.services.observations import run_objective_ids
from exercises.models import CellRole, ExerciseRun, Inject, RunTeam
from trainings.models import LearningObjective

RATINGS = [("", "–"), *((str(n), str(n)) for n in range(1, 6))]


class ObservationForm(forms.Form):
    team = forms.ModelChoiceField(queryset=RunTeam.objects.none(), required=False, label=_("Team"))
    rating = forms.TypedChoiceField(
        choices=RATINGS, coerce=int, empty_value=None, required=False, label=_("Rating (1–5)")
    )
    objective = forms.ModelChoiceField(queryset=LearningObjective.objects.none(), required=False, label=_("Objective"))
    inject = forms.ModelChoiceField(queryset=Inject.objects.none(), required=False, label=_("Inject"))
    text = forms.CharField(label=_("Note"), max_length=OBSERVATION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    shareable = forms.BooleanField(required=False, label=_("May be shown in the debrief"))

    def __init__(self, *args: Any, run: ExerciseRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = RunTeam.objects.filter(run=run).select_related("team_role")
        fields["inject"].queryset = Inject.objects.filter(exercise_id=run.exercise_id)
        fields["objective"].queryset = LearningObjective.objects.filter(pk__in=run_objective_ids(run=run))


class AdhocInjectForm(forms.Form):
    """An inject written on the spot: its text, the teams it goes to, and optionally the cell role delivering it."""

    title = forms.CharField(label=_("Title"), max_length=ADHOC_TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Message"), max_length=ADHOC_BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=RunTeam.objects.none(), label=_("Teams"), widget=forms.CheckboxSelectMultiple
    )
    delivered_by = forms.ModelChoiceField(
        queryset=CellRole.objects.none(), required=False, label=_("Delivered by (cell role)")
    )

    prefix = "adhoc"

    def __init__(self, *args: Any, run: ExerciseRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["teams"].queryset = RunTeam.objects.filter(run=run).select_related("team_role")
        fields["delivered_by"].queryset = CellRole.objects.filter(exercise_id=run.exercise_id)
        if not fields["delivered_by"].queryset.exists():
            del self.fields["delivered_by"]
