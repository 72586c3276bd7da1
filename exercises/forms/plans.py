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
from exercises.models import CellRole, Exercise, Inject, Phase, TeamRole
from exercises.plans import (
    CellRoleInput,
    ExercisePlan,
    InjectInput,
    PhaseInput,
    PositionInput,
    TeamRoleInput,
    plan_error_location,
)
from exercises.positions import positions_parse, positions_text
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
    positions = forms.CharField(
        label=_("Positions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A mixed team's seats, one a line: “name: agency kind” or “name: agency kind: seats”, "
            "e.g. “Investigator: police: 2”. The team assistant fills them from people of that agency kind."
        ),
    )

    class Meta:
        model = TeamRole
        fields = ("number", "name", "mixed", "agency_kind", "planned_size", "positions", "briefing", "tasks")
        widgets = {"briefing": forms.Textarea(attrs={"rows": 3}), "tasks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Read from the prefetched rows (see plan_formsets).
            self.initial.setdefault(
                "positions",
                positions_text(
                    PositionInput(name=p.name, agency_kind=p.agency_kind, seats=p.seats)
                    for p in self.instance.positions.all()
                ),
            )

    def clean_positions(self) -> list[PositionInput]:
        try:
            return positions_parse(self.cleaned_data.get("positions") or "")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class CellRoleForm(_PlanRowForm):
    class Meta:
        model = CellRole
        fields = ("name", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


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
    cell_role = forms.CharField(
        label=_("Delivered by (cell role)"),
        required=False,
        max_length=200,
        help_text=_("The name of one of the exercise's cell roles, e.g. “the embassy”; or use “From” for free text."),
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
            "cell_role",
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
            self.initial.setdefault("cell_role", inject.delivered_by.name if inject.delivered_by_id else "")
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
    """The inline formsets of an exercise, keyed ``phases``, ``team_roles``, ``cell_roles`` and ``injects``.

    A submission without the cell roles' rows (a client that predates them) has no ``cell_roles``:
    the exercise's cell roles are then kept as they are.
    """
    common = {"formset": PlanFormSet, "can_delete": True, "max_num": MAX_PLAN_ROWS, "validate_max": True}
    phases = inlineformset_factory(Exercise, Phase, form=PhaseForm, extra=extra, **common)  # type: ignore[arg-type]
    roles = inlineformset_factory(Exercise, TeamRole, form=TeamRoleForm, extra=extra, **common)  # type: ignore[arg-type]
    injects = inlineformset_factory(Exercise, Inject, form=InjectForm, extra=extra, **common)  # type: ignore[arg-type]
    cells = inlineformset_factory(Exercise, CellRole, form=CellRoleForm, extra=extra, **common)  # type: ignore[arg-type]
    choices = [(o.pk, objective_label(o)) for o in objectives]
    inject_rows = (
        Inject.objects.select_related("phase", "depends_on", "delivered_by")
        .prefetch_related("target_roles", "learning_objectives")
        .order_by("number")
    )
    formsets: dict[str, BaseInlineFormSet] = {
        "phases": phases(data, instance=exercise, prefix="phases", queryset=Phase.objects.order_by("order")),
        "team_roles": roles(
            data,
            instance=exercise,
            prefix="teams",
            queryset=TeamRole.objects.prefetch_related("positions").order_by("number"),
        ),
        "cell_roles": cells(data, instance=exercise, prefix="cells", queryset=CellRole.objects.order_by("name")),
        "injects": injects(
            data,
            instance=exercise,
            prefix="injects",
            queryset=inject_rows,
            form_kwargs={"objective_choices": choices},
        ),
    }
    if data is not None and "cells-TOTAL_FORMS" not in data:
        del formsets["cell_roles"]
    return formsets


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
                mixed=f.cleaned_data["mixed"],
                planned_size=f.cleaned_data["planned_size"],
                positions=f.cleaned_data["positions"],
            )
            for f in rows["team_roles"]
        ],
    )
    # A cell role's new name follows into the injects that it delivers and whose field was left alone.
    cell_names: dict[int, str] = {}
    if "cell_roles" in rows:
        plan.cell_roles = [
            CellRoleInput(id=f.instance.pk, name=f.cleaned_data["name"], description=f.cleaned_data["description"])
            for f in rows["cell_roles"]
        ]
        cell_names = {f.instance.pk: f.cleaned_data["name"] for f in rows["cell_roles"] if f.instance.pk}
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
        if existing and "cell_role" not in f.changed_data and inject.delivered_by_id:
            # A removed cell role leaves its injects without one, as deleting it would.
            kept_name = inject.delivered_by.name if "cell_roles" not in rows else ""
            delivered_by = cell_names.get(inject.delivered_by_id, kept_name)
        else:
            delivered_by = data["cell_role"].strip()
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
                delivered_by=delivered_by,
            )
        )
    return FormPlan(plan=plan, rows=rows)


# Service field names that the inline forms show under another name.
_FORM_FIELDS = {
    "injects": {
        "phase": "phase_number",
        "depends_on": "depends_on_number",
        "learning_objectives": "objectives",
        "delivered_by": "cell_role",
    },
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
