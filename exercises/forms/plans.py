"""An exercise's plan edited inline: phases, team roles and injects as rows.

The inline rows are Django inline formsets, but nothing here saves: ``exercise_plan_from_formsets``
turns the rows into one ``ExercisePlan`` and the view hands it to the service, which validates the
whole plan at once and writes it in one transaction. Injects refer to phases, teams and other
injects by number, as in the master events list; a reference the person did not touch follows its
row when rows are renumbered.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.services import Errors
from exercises.forms.exercises import ObjectivesField, objective_label
from exercises.forms.fields import NamedChoicesMixin
from exercises.models import Exercise, Inject, Phase, TeamRole
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput, plan_error_location
from trainings.models import LearningObjective

_NUMBERS = re.compile(r"[;,\s]+")
_DIGITS = re.compile(r"[0-9]+")
MAX_PLAN_ROWS = 200


class _PlanRowForm(NamedChoicesMixin, forms.ModelForm):
    """A row of the plan. The model's own checks run in the service, over the whole plan at once:
    row by row they would refuse a swap of two numbers halfway and judge an inject against the
    phase it had before, not the one chosen in the same request."""

    def _post_clean(self) -> None:
        pass

    def validate_unique(self) -> None:
        pass


class PhaseForm(_PlanRowForm):
    class Meta:
        model = Phase
        fields = ("order", "name", "kind", "planned_minutes", "instructions")
        labels = {"order": _("Number")}
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}


class TeamRoleForm(_PlanRowForm):
    class Meta:
        model = TeamRole
        fields = ("number", "name", "agency_kind", "briefing", "tasks")
        widgets = {"briefing": forms.Textarea(attrs={"rows": 3}), "tasks": forms.Textarea(attrs={"rows": 3})}


def parse_numbers(text: str) -> list[int]:
    """``"1;2, 5"`` -> ``[1, 2, 5]``; raises ValueError on anything that is not a whole number from 1."""
    tokens = [t for t in _NUMBERS.split(text.strip()) if t]
    # ASCII digits only: int() also takes “٥”, “１” and “1_0”.
    if not all(_DIGITS.fullmatch(t) for t in tokens):
        raise ValueError(text)
    numbers = [int(t) for t in tokens]
    if any(n < 1 for n in numbers):
        raise ValueError(text)
    return list(dict.fromkeys(numbers))


class InjectForm(_PlanRowForm):
    phase_number = forms.IntegerField(
        label=_("Phase"), required=False, min_value=1, help_text=_("The phase's number; empty for none.")
    )
    target_teams = forms.CharField(
        label=_("Target teams"),
        required=False,
        max_length=200,
        help_text=_("Team numbers, e.g. 1;2;5. Empty means every team."),
    )
    depends_on_number = forms.IntegerField(
        label=_("Depends on"), required=False, min_value=1, help_text=_("The number of an inject it follows.")
    )
    objectives = ObjectivesField()

    class Meta:
        model = Inject
        fields = (
            "number",
            "phase_number",
            "minute_offset",
            "target_teams",
            "channel",
            "kind",
            "sender",
            "title",
            "body",
            "expected_actions",
            "objectives",
            "depends_on_number",
        )
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "expected_actions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, objective_choices: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objectives"].choices = objective_choices  # type: ignore[attr-defined]
        self.name_choices()
        inject = self.instance
        if inject.pk is not None:
            # Read from the prefetched rows (see plan_formsets): no query per inject.
            self.initial.setdefault("phase_number", inject.phase.order if inject.phase_id else None)
            self.initial.setdefault(
                "target_teams", ";".join(str(n) for n in sorted(r.number for r in inject.target_roles.all()))
            )
            self.initial.setdefault("depends_on_number", inject.depends_on.number if inject.depends_on_id else None)
            self.initial.setdefault("objectives", [o.pk for o in inject.learning_objectives.all()])

    def clean_target_teams(self) -> list[int]:
        try:
            return parse_numbers(self.cleaned_data.get("target_teams") or "")
        except ValueError:
            raise forms.ValidationError(_("Write team numbers separated by ';', e.g. 1;2;5.")) from None


class PlanFormSet(BaseInlineFormSet):
    def validate_unique(self) -> None:
        """Numbers are checked by the service with the plan's own messages (duplicates and gaps)."""


def plan_formsets(
    *,
    exercise: Exercise,
    data: Mapping[str, Any] | None = None,
    objectives: Sequence[LearningObjective],
    extra: int = 1,
) -> dict[str, BaseInlineFormSet]:
    """The three inline formsets of an exercise, keyed ``phases``, ``team_roles`` and ``injects``."""
    common = {"formset": PlanFormSet, "can_delete": True, "max_num": MAX_PLAN_ROWS, "validate_max": True}
    phases = inlineformset_factory(Exercise, Phase, form=PhaseForm, extra=extra, **common)  # type: ignore[arg-type]
    roles = inlineformset_factory(Exercise, TeamRole, form=TeamRoleForm, extra=extra, **common)  # type: ignore[arg-type]
    injects = inlineformset_factory(Exercise, Inject, form=InjectForm, extra=extra, **common)  # type: ignore[arg-type]
    choices = [(o.pk, objective_label(o)) for o in objectives]
    inject_rows = (
        Inject.objects.select_related("phase", "depends_on")
        .prefetch_related("target_roles", "learning_objectives")
        .order_by("number")
    )
    return {
        "phases": phases(data, instance=exercise, prefix="phases", queryset=Phase.objects.order_by("order")),
        "team_roles": roles(data, instance=exercise, prefix="teams", queryset=TeamRole.objects.order_by("number")),
        "injects": injects(
            data,
            instance=exercise,
            prefix="injects",
            queryset=inject_rows,
            form_kwargs={"objective_choices": choices},
        ),
    }


def _kept_forms(formset: BaseInlineFormSet) -> list[Any]:
    deleted = set(formset.deleted_forms)
    # An untouched blank row at the end is not a new row.
    return [f for f in formset.forms if f not in deleted and (f.instance.pk is not None or f.has_changed())]


@dataclass
class FormPlan:
    plan: ExercisePlan
    rows: dict[str, list[forms.BaseForm]]  # the form behind each plan row, by part and index


def exercise_plan_from_formsets(
    formsets: Mapping[str, BaseInlineFormSet], *, objectives: Mapping[int, LearningObjective]
) -> FormPlan:
    """The plan the person submitted; call only when every formset is valid."""
    rows = {part: _kept_forms(formset) for part, formset in formsets.items()}
    # Where each existing row goes: an untouched reference follows its row when numbers change.
    phase_numbers = {f.instance.pk: f.cleaned_data["order"] for f in rows["phases"] if f.instance.pk}
    team_numbers = {f.instance.pk: f.cleaned_data["number"] for f in rows["team_roles"] if f.instance.pk}
    inject_numbers = {f.instance.pk: f.cleaned_data["number"] for f in rows["injects"] if f.instance.pk}

    plan = ExercisePlan(
        phases=[
            PhaseInput(
                id=f.instance.pk,
                order=f.cleaned_data["order"],
                name=f.cleaned_data["name"],
                kind=f.cleaned_data["kind"],
                planned_minutes=f.cleaned_data["planned_minutes"],
                instructions=f.cleaned_data["instructions"],
            )
            for f in rows["phases"]
        ],
        team_roles=[
            TeamRoleInput(
                id=f.instance.pk,
                number=f.cleaned_data["number"],
                name=f.cleaned_data["name"],
                agency_kind=f.cleaned_data["agency_kind"],
                briefing=f.cleaned_data["briefing"],
                tasks=f.cleaned_data["tasks"],
            )
            for f in rows["team_roles"]
        ],
    )
    for f in rows["injects"]:
        data, inject, existing = f.cleaned_data, f.instance, f.instance.pk is not None
        if existing and "phase_number" not in f.changed_data:
            phase = phase_numbers.get(inject.phase_id) if inject.phase_id else None
        else:
            phase = data["phase_number"]
        if existing and "target_teams" not in f.changed_data:
            teams = sorted(team_numbers[r.pk] for r in inject.target_roles.all() if r.pk in team_numbers)
        else:
            teams = data["target_teams"]
        if existing and "depends_on_number" not in f.changed_data:
            depends_on = inject_numbers.get(inject.depends_on_id) if inject.depends_on_id else None
        else:
            depends_on = data["depends_on_number"]
        plan.injects.append(
            InjectInput(
                id=inject.pk,
                number=data["number"],
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                channel=data["channel"],
                sender=data["sender"],
                phase=phase,
                minute_offset=data["minute_offset"],
                target_teams=teams,
                expected_actions=data["expected_actions"],
                learning_objectives=[objectives[pk] for pk in data["objectives"] if pk in objectives],
                depends_on=depends_on,
            )
        )
    return FormPlan(plan=plan, rows=rows)


# Service field names that the inline forms show under another name.
_FORM_FIELDS = {
    "injects": {"phase": "phase_number", "depends_on": "depends_on_number", "learning_objectives": "objectives"},
}


def add_plan_errors(
    errors: Errors,
    *,
    form: forms.BaseForm,
    formsets: Mapping[str, BaseInlineFormSet],
    form_plan: FormPlan | None,
) -> None:
    """Put the service's errors next to the field, row or list they are about."""
    for key, messages in errors.items():
        part, index, field_name = plan_error_location(key)
        if part in formsets and index is None:
            formsets[part].non_form_errors().extend(messages)
            continue
        if part in formsets and form_plan is not None and index is not None:
            row = form_plan.rows[part][index]
            row_field = _FORM_FIELDS.get(part, {}).get(field_name, field_name)
            for message in messages:
                row.add_error(row_field if row_field in row.fields else None, message)
            continue
        target = None if key in ("__all__", "non_field_errors") or key not in form.fields else key
        for message in messages:
            form.add_error(target, message)
