"""Forms for authoring exercises: the exercise itself, its plan edited inline, variants, imports, course order.

The inline rows (phases, team roles, injects) are Django inline formsets, but nothing here saves:
``exercise_plan_from_formsets`` turns the rows into one ``ExercisePlan`` and the view hands it to the
service, which validates the whole plan at once and writes it in one transaction. Injects refer to
phases, teams and other injects by number, as in the master events list; a reference the person did
not touch follows its row when rows are renumbered.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.services import Errors
from exercises.conflicts import STARTED_STATUSES
from exercises.models import CourseExercise, Exercise, ExerciseRun, Inject, Phase, TeamRole
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput, plan_error_location
from trainings.models import Cohort, LearningObjective, Session

_EXERCISE_FIELDS = forms.fields_for_model(
    Exercise,
    fields=(
        "name",
        "kind",
        "planned_minutes",
        "country",
        "aim",
        "scenario",
        "materials",
        "facilitator_guidelines",
        "tips",
        "online_variation",
        "debriefing_guidance",
    ),
)
_NUMBERS = re.compile(r"[;,\s]+")
MAX_PLAN_ROWS = 200


def objective_choices(*, linked_ids: Iterable[int] = ()) -> list[LearningObjective]:
    """Active objectives, plus retired ones already linked to the record being edited (one query)."""
    query = Q(is_active=True) | Q(pk__in=list(linked_ids))
    return list(LearningObjective.objects.filter(query).order_by("order", "code"))


def _objective_label(objective: LearningObjective) -> str:
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


class ExerciseForm(forms.Form):
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
        self.fields["learning_objectives"].choices = [(o.pk, _objective_label(o)) for o in objectives]  # type: ignore[attr-defined]
        if editing:
            self.fields["slug"].required = True

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["learning_objectives"] = [self.objectives[pk] for pk in data["learning_objectives"]]
        return data


# --- inline rows -----------------------------------------------------------------------------


class _PlanRowForm(forms.ModelForm):
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
    """``"1;2, 5"`` -> ``[1, 2, 5]``; raises ValueError on anything that is not a whole number."""
    tokens = [t for t in _NUMBERS.split(text.strip()) if t]
    numbers = [int(t) for t in tokens]
    if any(n < 1 for n in numbers):
        raise ValueError
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
    choices = [(o.pk, _objective_label(o)) for o in objectives]
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


# --- variants, imports, course order -----------------------------------------------------------


class ExerciseDuplicateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("Empty: the name and country."))
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO 3166 code of the variant, e.g. PL.")
    )
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, required=False, help_text=_("Made from the name when empty.")
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
            raise forms.ValidationError(
                _("The file is %(size)s KB; the limit is %(limit)s KB.")
                % {"size": upload.size // 1024, "limit": limit // 1024}
            )
        return upload


class CourseExerciseForm(forms.Form):
    order = forms.IntegerField(label=_("Number"), min_value=1)
    exercise = forms.TypedChoiceField(label=_("Exercise"), coerce=int)

    def __init__(self, *args: Any, exercise_choices: Sequence[tuple[Any, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].choices = [("", "—"), *exercise_choices]  # type: ignore[attr-defined]


CourseExerciseFormSet = forms.formset_factory(
    CourseExerciseForm, extra=2, can_delete=True, max_num=MAX_PLAN_ROWS, validate_max=True
)


# --- scheduling a run into a session -----------------------------------------------------------


class ExerciseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if getattr(obj, "in_course", False):
            return _("%(name)s (this course)") % {"name": obj.name}
        return obj.name


class SessionChoiceField(forms.ModelChoiceField):
    """Sessions said in their cohort's wall-clock time."""

    def label_from_instance(self, obj: Any) -> str:
        tz = obj.cohort.tz
        start, end = obj.starts_at.astimezone(tz), obj.ends_at.astimezone(tz)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} · {obj.title}"


class ExerciseRunScheduleForm(forms.Form):
    """Which exercise, in which session, led by whom; exercise_run_create/update judge the rules."""

    exercise = ExerciseChoiceField(label=_("Exercise"), queryset=Exercise.objects.none())
    session = SessionChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("Not in a session yet"),
        help_text=_("The run's phases are planned from the session's start."),
    )
    lead_facilitator = forms.ModelChoiceField(
        label=_("Lead facilitator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("One of the cohort's facilitators."),
    )

    def __init__(self, *args: Any, cohort: Cohort, run: ExerciseRun | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if run is None:
            in_course = CourseExercise.objects.filter(course_id=cohort.course_id, exercise=OuterRef("pk"))
            self.fields["exercise"].queryset = (  # type: ignore[attr-defined]
                Exercise.objects.annotate(in_course=Exists(in_course)).order_by("-in_course", "name")
            )
        else:
            # A run keeps its exercise: its teams are the exercise's team roles.
            del self.fields["exercise"]
        free = Q(exercise_run__isnull=True) | Q(exercise_run=run) if run is not None else Q(exercise_run__isnull=True)
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            cohort.sessions.filter(free, status=Session.Status.SCHEDULED).select_related("cohort").order_by("starts_at")
        )
        if run is not None and run.status in STARTED_STATUSES:
            # exercise_run_update refuses the move; the form does not offer it (its session may be cancelled).
            held = cohort.sessions.filter(exercise_run=run).select_related("cohort")
            self.fields["session"].queryset = held  # type: ignore[attr-defined]
            self.fields["session"].disabled = True
            self.fields["session"].help_text = _("The run has started: it stays in its session.")
        facilitators = cohort.facilitators.all()
        if run is not None and run.lead_facilitator_id is not None:
            facilitators = facilitators | User.objects.filter(pk=run.lead_facilitator_id)
        self.fields["lead_facilitator"].queryset = facilitators.distinct().order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "email"
        )
