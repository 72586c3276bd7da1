"""An exercise's plan edited inline: phases, team roles, cell roles and injects as rows.

The inline rows are Django inline formsets, one per part (the editor shows one part per page), but
nothing here saves: ``exercise_plan_from_formsets`` turns the rows, with the parts not on the page as
saved, into one ``ExercisePlan`` and the view hands it to the service, which validates the whole plan
at once and writes it in one transaction. Injects refer to phases, teams and other
injects by number, as in the master events list; a reference the person did not touch follows its
row when rows are renumbered.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
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

    number_field: str | None = None  # the field that numbers and orders the rows, if any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.number_field is not None:
            # The editor numbers a row it adds; the hidden initial value keeps that row "unchanged"
            # (ignored on saving) until the person fills it in. See exercises.forms.editor.
            self.fields[self.number_field].show_hidden_initial = True

    def _post_clean(self) -> None:
        pass

    def validate_unique(self) -> None:
        pass


class PhaseForm(_PlanRowForm):
    number_field = "order"

    class Meta:
        model = Phase
        fields = ("order", "name", "kind", "planned_minutes", "instructions")
        labels = {"order": _("Number")}
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}


class TeamRoleForm(_PlanRowForm):
    number_field = "number"
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
            # Read from the prefetched rows (see plan_formset).
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
    number_field = "number"
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
            "title",
            "phase_number",
            "minute_offset",
            "target_teams",
            "channel",
            "kind",
            "cell_role",
            "sender",
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
            # Read from the prefetched rows (see plan_formset): no query per inject.
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


# Each part's model and row form, and its formset's prefix.
_PARTS: dict[str, tuple[type, type[_PlanRowForm]]] = {
    "phases": (Phase, PhaseForm),
    "team_roles": (TeamRole, TeamRoleForm),
    "cell_roles": (CellRole, CellRoleForm),
    "injects": (Inject, InjectForm),
}
PREFIXES = {"phases": "phases", "team_roles": "teams", "cell_roles": "cells", "injects": "injects"}
NUMBER_FIELDS = {part: form.number_field for part, (_model, form) in _PARTS.items()}  # type: ignore[attr-defined]


def plan_formset(
    *,
    part: str,
    exercise: Exercise,
    data: Mapping[str, Any] | None = None,
    objectives: Sequence[LearningObjective] = (),
    extra: int = 1,
) -> BaseInlineFormSet:
    """The inline formset of one part of an exercise's plan (a key of ``PREFIXES``)."""
    model, form = _PARTS[part]
    factory = inlineformset_factory(
        Exercise,
        model,
        form=form,
        formset=PlanFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_PLAN_ROWS,
        validate_max=True,
    )
    kwargs: dict[str, Any] = {}
    if part == "phases":
        queryset: Any = Phase.objects.order_by("order")
    elif part == "team_roles":
        queryset = TeamRole.objects.prefetch_related("positions").order_by("number")
    elif part == "cell_roles":
        queryset = CellRole.objects.order_by("name")
    else:
        queryset = (
            Inject.objects.select_related("phase", "depends_on", "delivered_by")
            .prefetch_related("target_roles", "learning_objectives")
            .order_by("number")
        )
        kwargs["form_kwargs"] = {"objective_choices": [(o.pk, objective_label(o)) for o in objectives]}
    return factory(data, instance=exercise, prefix=PREFIXES[part], queryset=queryset, **kwargs)


def _kept_forms(formset: BaseInlineFormSet) -> list[Any]:
    deleted = set(formset.deleted_forms)
    # An untouched blank row at the end is not a new row.
    return [f for f in formset.forms if f not in deleted and (f.instance.pk is not None or f.has_changed())]


@dataclass
class FormPlan:
    plan: ExercisePlan
    rows: dict[str, list[forms.BaseForm]]  # the form behind each plan row, by part and index


def exercise_plan_from_formsets(
    formsets: Mapping[str, BaseInlineFormSet],
    *,
    objectives: Mapping[int, LearningObjective],
    saved: ExercisePlan | None = None,
) -> FormPlan:
    """The plan the person submitted; call only when every formset is valid.

    With ``saved`` (the exercise's plan now, ``exercise_plan_of``) a part without a formset is taken
    from it, so that an editor page for one part submits that part only; the saved injects' references
    follow the submitted rows by id (renumbered phases and teams, renamed or removed cell roles).
    """
    rows = {part: _kept_forms(formset) for part, formset in formsets.items()}
    plan = ExercisePlan()
    if "phases" in rows:
        plan.phases = [
            PhaseInput(
                id=f.instance.pk,
                order=f.cleaned_data["order"],
                name=f.cleaned_data["name"],
                kind=f.cleaned_data["kind"],
                planned_minutes=f.cleaned_data["planned_minutes"],
                instructions=f.cleaned_data["instructions"],
            )
            for f in rows["phases"]
        ]
    elif saved is not None:
        plan.phases = list(saved.phases)
    if "team_roles" in rows:
        plan.team_roles = [
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
        ]
    elif saved is not None:
        plan.team_roles = list(saved.team_roles)
    if "cell_roles" in rows:
        plan.cell_roles = [
            CellRoleInput(id=f.instance.pk, name=f.cleaned_data["name"], description=f.cleaned_data["description"])
            for f in rows["cell_roles"]
        ]
    elif saved is not None and saved.cell_roles is not None:
        plan.cell_roles = list(saved.cell_roles)
    # Where each existing row goes: an untouched reference follows its row when numbers change.
    phase_numbers = {p.id: p.order for p in plan.phases if p.id and p.order is not None}
    team_numbers = {t.id: t.number for t in plan.team_roles if t.id and t.number is not None}
    # A cell role's new name follows into the injects that it delivers and whose field was left alone.
    cell_names = {c.id: c.name for c in plan.cell_roles or [] if c.id}
    if "injects" in rows:
        plan.injects = _injects_from_forms(
            rows["injects"],
            objectives=objectives,
            phase_numbers=phase_numbers,
            team_numbers=team_numbers,
            cell_names=cell_names if plan.cell_roles is not None else None,
        )
    elif saved is not None:
        phase_ids = {p.order: p.id for p in saved.phases if p.order is not None and p.id is not None}
        team_ids = {t.number: t.id for t in saved.team_roles if t.number is not None and t.id is not None}
        cell_ids = {c.name: c.id for c in saved.cell_roles or [] if c.id is not None}
        plan.injects = [
            replace(
                inject,
                phase=_follow(inject.phase, phase_ids, phase_numbers),
                target_teams=sorted(
                    n for number in inject.target_teams if (n := _follow(number, team_ids, team_numbers)) is not None
                ),
                delivered_by=cell_names.get(cell_ids[inject.delivered_by], "")
                if inject.delivered_by in cell_ids
                else "",
            )
            for inject in saved.injects
        ]
    return FormPlan(plan=plan, rows=rows)


def _follow(number: int | None, old_ids: Mapping[int, int], new_numbers: Mapping[int, int]) -> int | None:
    """The new number of the row that had ``number``; None when it was removed."""
    row_id = old_ids.get(number) if number is not None else None
    return new_numbers.get(row_id) if row_id is not None else None


def _injects_from_forms(
    rows: Sequence[Any],
    *,
    objectives: Mapping[int, LearningObjective],
    phase_numbers: Mapping[int, int],
    team_numbers: Mapping[int, int],
    cell_names: Mapping[int, str] | None,
) -> list[InjectInput]:
    """``cell_names=None``: the plan keeps the exercise's cell roles as they are."""
    inject_numbers = {f.instance.pk: f.cleaned_data["number"] for f in rows if f.instance.pk}
    injects = []
    for f in rows:
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
            if cell_names is None:
                delivered_by = inject.delivered_by.name
            else:
                delivered_by = cell_names.get(inject.delivered_by_id, "")
        else:
            delivered_by = data["cell_role"].strip()
        injects.append(
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
    return injects


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
    form: forms.BaseForm | None,
    formsets: Mapping[str, BaseInlineFormSet],
    form_plan: FormPlan | None,
) -> Errors:
    """Put the service's errors next to the field, row or list they are about.

    Returns the errors that have no place here: without ``form`` (an editor page for one part), those
    about the exercise's fields and the other parts.
    """
    elsewhere: Errors = {}
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
        if form is None:
            elsewhere[key] = list(messages)
            continue
        target = None if key in ("__all__", "non_field_errors") or key not in form.fields else key
        for message in messages:
            form.add_error(target, message)
    return elsewhere
