"""Shapes of the exercises API."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api import EnumField
from exercises import selectors
from exercises.models import Exercise, ExerciseRun, Handout, Inject, Phase, RunTeam, TeamRole
from trainings.api.serializers import LearningObjectiveSummarySerializer, UserSummarySerializer
from trainings.models import AgencyKind, Cohort, Session


class PhaseSerializer(serializers.ModelSerializer):
    kind = EnumField(Phase.Kind)

    class Meta:
        model = Phase
        fields = ("id", "order", "name", "kind", "planned_minutes", "instructions")


class TeamRoleSerializer(serializers.ModelSerializer):
    agency_kind = EnumField(AgencyKind)

    class Meta:
        model = TeamRole
        fields = ("id", "number", "name", "agency_kind", "briefing", "tasks")


class InjectSerializer(serializers.ModelSerializer):
    kind = EnumField(Inject.Kind)
    channel = EnumField(Inject.Channel)

    class Meta:
        model = Inject
        fields = (
            "id",
            "number",
            "title",
            "body",
            "kind",
            "channel",
            "sender",
            "phase",
            "minute_offset",
            "target_roles",
            "expected_actions",
            "learning_objectives",
            "depends_on",
        )


class HandoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Handout
        fields = ("id", "title", "description", "file", "order")


class ExerciseSerializer(serializers.ModelSerializer):
    """The whole facilitator guide; lists carry it too (a catalogue holds a handful of exercises)."""

    kind = EnumField(Exercise.Kind)
    learning_objectives = LearningObjectiveSummarySerializer(many=True)
    phases = PhaseSerializer(many=True)
    team_roles = TeamRoleSerializer(many=True)
    injects = InjectSerializer(many=True)
    handouts = HandoutSerializer(many=True)

    class Meta:
        model = Exercise
        fields = (
            "id",
            "name",
            "slug",
            "kind",
            "planned_minutes",
            "aim",
            "scenario",
            "learning_objectives",
            "materials",
            "facilitator_guidelines",
            "tips",
            "online_variation",
            "debriefing_guidance",
            "country",
            "variant_of",
            "phases",
            "team_roles",
            "injects",
            "handouts",
        )


class ExerciseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Exercise
        fields = ("id", "name", "slug")


class RunTeamSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    number = serializers.IntegerField(source="team_role.number", read_only=True)

    class Meta:
        model = RunTeam
        fields = ("id", "name", "number", "team_role")


class OwnTeamSerializer(serializers.ModelSerializer):
    """The team the reader plays in, with its briefing."""

    name = serializers.CharField(source="__str__", read_only=True)
    number = serializers.IntegerField(source="team_role.number", read_only=True)
    briefing = serializers.CharField(source="team_role.briefing", read_only=True)
    tasks = serializers.CharField(source="team_role.tasks", read_only=True)

    class Meta:
        model = RunTeam
        fields = ("id", "name", "number", "briefing", "tasks")


class ExerciseRunSerializer(serializers.ModelSerializer):
    exercise = ExerciseSummarySerializer()
    lead_facilitator = UserSummarySerializer(allow_null=True)
    status = EnumField(ExerciseRun.Status)
    teams = RunTeamSerializer(many=True, help_text=_("The teams the user may see (RunTeam visible_to)."))
    own_team = serializers.SerializerMethodField(
        help_text=_("The team the reader plays in, with its briefing, once the run's teams are confirmed.")
    )

    class Meta:
        model = ExerciseRun
        fields = (
            "id",
            "exercise",
            "cohort",
            "session",
            "lead_facilitator",
            "status",
            "started_at",
            "ended_at",
            "teams",
            "own_team",
        )

    @extend_schema_field(OwnTeamSerializer(allow_null=True))
    def get_own_team(self, run: ExerciseRun) -> dict[str, Any] | None:
        # ExerciseRunViewSet prefetches the reader's memberships from team_membership_list_for_user.
        memberships = getattr(run, "own_memberships", None)
        if memberships is None:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            memberships = list(selectors.team_membership_list_for_user(user=user).filter(run=run)) if user else []
        return OwnTeamSerializer(memberships[0].team).data if memberships else None


# exercise_run_create/update check it: the same rule (and message) as the web form.
_LEAD_HELP = _("One of the cohort's facilitators (checked whenever the lead is set or changed).")


class ExerciseRunInputSerializer(serializers.Serializer):
    exercise = serializers.PrimaryKeyRelatedField(queryset=Exercise.objects.all())
    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all())
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True, help_text=_("A session of the same cohort.")
    )
    lead_facilitator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, help_text=_LEAD_HELP
    )


class ExerciseRunUpdateSerializer(serializers.Serializer):
    """The exercise and cohort of a run stay; its session (not once it has started) and lead facilitator may change."""

    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True, help_text=_("A session of the same cohort.")
    )
    lead_facilitator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, help_text=_LEAD_HELP
    )
