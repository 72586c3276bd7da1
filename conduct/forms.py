"""The quick observation form: the run's teams, injects and objectives only (the service checks again)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from conduct.services import OBSERVATION_MAX_LENGTH
from conduct.services.observations import run_objective_ids
from exercises.models import ExerciseRun, Inject, RunTeam
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
