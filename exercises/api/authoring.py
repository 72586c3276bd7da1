"""Shapes for writing an exercise over the API: the exercise with its whole plan, a variant, and the
master events list (upload, errors by cell, result).

Errors come back flat, keyed like the service's (``injects[2].phase_number``), whether the shape or
a rule was wrong, so a client can show each next to its field. Nothing is half-saved.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.tabular import size_error
from exercises.api.fields import choice_field
from exercises.api.serializers import ExerciseSerializer
from exercises.models import Exercise, Inject, Phase
from exercises.plans import (
    PARTS,
    CellRoleInput,
    ExercisePlan,
    InjectInput,
    PhaseInput,
    PositionInput,
    TeamRoleInput,
    plan_error_location,
)
from trainings.api.serializers import language_field
from trainings.models import AgencyKind, LearningObjective

_KEEP = gettext_lazy("The id of an existing row to keep; leave it out for a new row.")

# --- writing an exercise ---------------------------------------------------------------------


class PhaseInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    order = serializers.IntegerField(help_text=gettext_lazy("1, 2, 3 … in the order the phases run."))
    name = serializers.CharField(max_length=200)
    kind = choice_field(Phase.Kind, required=False)
    planned_minutes = serializers.IntegerField()
    instructions = serializers.CharField(required=False, allow_blank=True)


class PositionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    agency_kind = choice_field(AgencyKind)
    seats = serializers.IntegerField(required=False, help_text=gettext_lazy("1 when left out."))


class TeamRoleInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    number = serializers.IntegerField(help_text=gettext_lazy("1, 2, 3 …; injects target teams by number."))
    name = serializers.CharField(max_length=200)
    mixed = serializers.BooleanField(
        required=False, help_text=gettext_lazy("A national multi-agency team: no agency kind, but positions.")
    )
    agency_kind = choice_field(
        AgencyKind,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The team's agency kind; empty (or left out) for a mixed team."),
    )
    planned_size = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("How many people this team should have.")
    )
    positions = PositionInputSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("A mixed team's seats; left out, an existing team keeps its positions."),
    )
    briefing = serializers.CharField(required=False, allow_blank=True)
    tasks = serializers.CharField(required=False, allow_blank=True)


class InjectInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    number = serializers.IntegerField(help_text=gettext_lazy("1, 2, 3 …"))
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(help_text=gettext_lazy("The message."))
    kind = choice_field(Inject.Kind, required=False)
    channel = choice_field(Inject.Channel, required=False)
    sender = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phase_number = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("The number of a phase in this request.")
    )
    minute_offset = serializers.IntegerField(
        required=False, help_text=gettext_lazy("Minutes after the start of its phase; inside the phase.")
    )
    target_team_numbers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=gettext_lazy("Numbers of teams in this request; empty means every team."),
    )
    expected_actions = serializers.CharField(required=False, allow_blank=True)
    learning_objectives = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), many=True, required=False
    )
    depends_on_number = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The number of another inject in this request; never in a circle."),
    )
    delivered_by = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The name of the cell role that delivers it (one of cell_roles)."),
    )


class CellRoleInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_KEEP)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)


class ExerciseWriteSerializer(serializers.Serializer):
    """A new exercise and, optionally, its plan."""

    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(
        max_length=80, required=False, help_text=gettext_lazy("Made from the name when left out.")
    )
    kind = choice_field(Exercise.Kind, required=False)
    planned_minutes = serializers.IntegerField()
    aim = serializers.CharField(required=False, allow_blank=True)
    scenario = serializers.CharField(required=False, allow_blank=True)
    materials = serializers.CharField(required=False, allow_blank=True)
    facilitator_guidelines = serializers.CharField(required=False, allow_blank=True)
    tips = serializers.CharField(required=False, allow_blank=True)
    online_variation = serializers.CharField(required=False, allow_blank=True)
    debriefing_guidance = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    language = language_field(required=False, help_text=gettext_lazy("What it is written in; English by default."))
    learning_objectives = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), many=True, required=False
    )
    phases = PhaseInputSerializer(many=True, required=False)
    team_roles = TeamRoleInputSerializer(many=True, required=False)
    injects = InjectInputSerializer(many=True, required=False)
    cell_roles = CellRoleInputSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("The simulation cell's roles; left out, the exercise keeps those it has."),
    )


class ExerciseUpdateSerializer(ExerciseWriteSerializer):
    """Any of the exercise's fields, and optionally its whole plan: send ``phases``, ``team_roles`` and
    ``injects`` together or not at all; the plan is replaced as a whole (rows with an ``id`` are kept).

    Used without DRF's ``partial``, which would make every row of the plan partial too: the
    exercise's own fields are optional instead, and a row is always validated whole.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name not in PARTS:
                field.required = False  # cell_roles too: optional, kept when left out
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = set(PARTS) & set(attrs)
        if given and len(given) < len(PARTS):
            raise serializers.ValidationError(
                _("Send phases, team_roles and injects together: the plan is replaced as a whole.")
            )
        if "cell_roles" in attrs and not given:
            raise serializers.ValidationError(
                {"cell_roles": [_("Send cell_roles with the plan (phases, team_roles and injects).")]}
            )
        return attrs


class ExerciseDuplicateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    language = language_field(
        required=False, allow_blank=True, help_text=gettext_lazy("A language variant; empty: the same language.")
    )


class MelUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("A master events list, .csv or .xlsx (see the README)."))

    def validate_file(self, upload: Any) -> Any:
        limit = settings.CONCORD_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise serializers.ValidationError(size_error(size=upload.size, limit=limit))
        return upload


class MelErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Empty: about the file as a whole."))
    column = serializers.CharField(help_text=gettext_lazy("The column's header, as exported."), source="header")
    message = serializers.CharField()


class MelImportErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    # DRF's metaclass takes declared fields off the class, so this does not hide Serializer.errors.
    errors = MelErrorSerializer(many=True)  # type: ignore[assignment]


class MelImportResultSerializer(serializers.Serializer):
    exercise = ExerciseSerializer()
    created = serializers.BooleanField(help_text=gettext_lazy("False when the plan of an exercise was replaced."))
    warnings = serializers.ListField(child=serializers.CharField())


class MelTableSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))


def flat_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors (``{"phases": [{}, {"order": [...]}]}``) keyed like the service's (``phases[1].order``)."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):
                inner = f"{prefix}[{key}]"
            elif key == "non_field_errors" and prefix:
                inner = prefix
            else:
                inner = f"{prefix}.{key}" if prefix else str(key)
            for k, v in flat_errors(value, inner).items():
                flat.setdefault(k, []).extend(v)
        return flat
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            for k, v in flat_errors(item, f"{prefix}[{index}]").items():
                flat.setdefault(k, []).extend(v)
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]} if items else {}


# Service field names that the API calls differently.
_API_FIELDS = {
    "injects": {"phase": "phase_number", "target_teams": "target_team_numbers", "depends_on": "depends_on_number"},
}


def api_plan_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    mapped: dict[str, list[str]] = {}
    for key, messages in errors.items():
        part, index, field_name = plan_error_location(key)
        if index is not None:
            key = f"{part}[{index}].{_API_FIELDS.get(part, {}).get(field_name, field_name)}"
        elif key == "__all__":
            key = "non_field_errors"
        mapped.setdefault(key, []).extend(messages)
    return mapped


def plan_from_input(data: Mapping[str, Any]) -> ExercisePlan:
    return ExercisePlan(
        phases=[
            PhaseInput(
                id=p.get("id"),
                order=p["order"],
                name=p["name"],
                kind=p.get("kind", Phase.Kind.PLAY),
                planned_minutes=p["planned_minutes"],
                instructions=p.get("instructions", ""),
            )
            for p in data.get("phases", [])
        ],
        team_roles=[
            TeamRoleInput(
                id=r.get("id"),
                number=r["number"],
                name=r["name"],
                agency_kind=r.get("agency_kind", ""),
                briefing=r.get("briefing", ""),
                tasks=r.get("tasks", ""),
                mixed=r.get("mixed", False),
                planned_size=r.get("planned_size"),
                positions=(
                    [
                        PositionInput(name=p["name"], agency_kind=p["agency_kind"], seats=p.get("seats", 1))
                        for p in r["positions"]
                    ]
                    if "positions" in r
                    else None
                ),
            )
            for r in data.get("team_roles", [])
        ],
        injects=[
            InjectInput(
                id=i.get("id"),
                number=i["number"],
                title=i["title"],
                body=i["body"],
                kind=i.get("kind", Inject.Kind.NEW_INFORMATION),
                channel=i.get("channel", Inject.Channel.IN_PERSON),
                sender=i.get("sender", ""),
                phase=i.get("phase_number"),
                minute_offset=i.get("minute_offset", 0),
                target_teams=i.get("target_team_numbers", []),
                expected_actions=i.get("expected_actions", ""),
                learning_objectives=i.get("learning_objectives", []),
                depends_on=i.get("depends_on_number"),
                delivered_by=i.get("delivered_by", ""),
            )
            for i in data.get("injects", [])
        ],
        cell_roles=(
            [
                CellRoleInput(id=c.get("id"), name=c["name"], description=c.get("description", ""))
                for c in data["cell_roles"]
            ]
            if "cell_roles" in data
            else None
        ),
    )
