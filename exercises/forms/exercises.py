"""Forms for an exercise's own fields, a variant of it, and a master events list to import."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.tabular import size_error
from exercises.forms.fields import NamedChoicesMixin
from exercises.models import Exercise
from trainings.models import LearningObjective

_EXERCISE_FIELDS = forms.fields_for_model(
    Exercise,
    fields=(
        "name",
        "kind",
        "planned_minutes",
        "country",
        "language",
        "aim",
        "scenario",
        "materials",
        "facilitator_guidelines",
        "tips",
        "online_variation",
        "debriefing_guidance",
    ),
)


def objective_choices(*, linked_ids: Iterable[int] = ()) -> list[LearningObjective]:
    """Active objectives, plus retired ones already linked to the record being edited (one query)."""
    query = Q(is_active=True) | Q(pk__in=list(linked_ids))
    return list(LearningObjective.objects.filter(query).order_by("order", "code"))


def objective_label(objective: LearningObjective) -> str:
    label = f"{objective.code} – {objective.title}"
    return label if objective.is_active else f"{label} ({_('retired')})"


class ObjectivesField(forms.TypedMultipleChoiceField):
    """Objectives as checkboxes from choices computed once per page, not one query per inline row."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Learning objectives"))
        super().__init__(**kwargs)


class ExerciseForm(NamedChoicesMixin, forms.Form):
    name = _EXERCISE_FIELDS["name"]
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        required=False,
        help_text=_("The last part of the exercise's web address. Made from the name when left empty."),
    )
    kind = _EXERCISE_FIELDS["kind"]
    planned_minutes = _EXERCISE_FIELDS["planned_minutes"]
    country = _EXERCISE_FIELDS["country"]
    language = _EXERCISE_FIELDS["language"]
    learning_objectives = ObjectivesField(
        help_text=_("Retired objectives are offered only where the exercise already has them.")
    )
    aim = _EXERCISE_FIELDS["aim"]
    scenario = _EXERCISE_FIELDS["scenario"]
    materials = _EXERCISE_FIELDS["materials"]
    facilitator_guidelines = _EXERCISE_FIELDS["facilitator_guidelines"]
    tips = _EXERCISE_FIELDS["tips"]
    online_variation = _EXERCISE_FIELDS["online_variation"]
    debriefing_guidance = _EXERCISE_FIELDS["debriefing_guidance"]

    def __init__(self, *args: Any, objectives: Sequence[LearningObjective], editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.objectives = {o.pk: o for o in objectives}
        self.fields["learning_objectives"].choices = [(o.pk, objective_label(o)) for o in objectives]  # type: ignore[attr-defined]
        self.name_choices()
        if editing:
            self.fields["slug"].required = True

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["learning_objectives"] = [self.objectives[pk] for pk in data["learning_objectives"]]
        return data


class ExerciseDuplicateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("Empty: the name and country."))
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO 3166 code of the variant, e.g. PL.")
    )
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, required=False, help_text=_("Made from the name when empty.")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("The same language")), *settings.LANGUAGES],
        help_text=_("A variant in another language is what participants reading it get."),
    )

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()


class MelUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Master events list"),
        help_text=_("A .csv or .xlsx file in the format described in the README, e.g. one exported here."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.CONCORD_MAX_UPLOAD_BYTES
        # Refused before it is read into memory.
        if upload.size > limit:
            raise forms.ValidationError(size_error(size=upload.size, limit=limit))
        return upload
