"""A course's exercises in order, as numbered rows."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exercises.forms.fields import NamedChoicesMixin
from exercises.forms.plans import MAX_PLAN_ROWS


class CourseExerciseForm(NamedChoicesMixin, forms.Form):
    order = forms.IntegerField(label=_("Number"), min_value=1)
    exercise = forms.TypedChoiceField(label=_("Exercise"), coerce=int)

    def __init__(self, *args: Any, exercise_choices: Sequence[tuple[Any, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].choices = [("", "—"), *exercise_choices]  # type: ignore[attr-defined]
        self.name_choices()


CourseExerciseFormSet = forms.formset_factory(
    CourseExerciseForm, extra=2, can_delete=True, max_num=MAX_PLAN_ROWS, validate_max=True
)
