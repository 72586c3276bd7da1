"""Shapes of the exercises API."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.languages import reader_language
from accounts.models import User
from core.api import EnumField
from exercises import selectors
from exercises.api.fields import VisiblePrimaryKeyField
from exercises.models import (
    CellRole,
    Exercise,
    ExerciseRun,
    Handout,
    Inject,
    InjectAttachment,
    Phase,
    RunTeam,
    TeamPosition,
    TeamRole,
)
from trainings import access
from trainings.api.serializers import LearningObjectiveSummarySerializer, UserSummarySerializer, language_field
from trainings.models import AgencyKind, Cohort, Session


class PhaseSerializer(serializers.ModelSerializer):
    kind = EnumField(Phase.Kind)

    class Meta:
        model = Phase
        fields = ("id", "order", "name", "kind", "planned_minutes", "instructions")
        read_only_fields = fields


class TeamPositionSerializer(serializers.ModelSerializer):
    agency_kind = EnumField(AgencyKind)

    class Meta:
        model = TeamPosition
        fields = ("id", "name", "agency_kind", "seats")
        read_only_fields = fields


class TeamRoleSerializer(serializers.ModelSerializer):
    agency_kind = serializers.CharField(help_text=_("An agency kind; empty for a mixed team."))
    positions = TeamPositionSerializer(many=True)

    class Meta:
        model = TeamRole
        fields = ("id", "number", "name", "mixed", "agency_kind", "planned_size", "positions", "briefing", "tasks")
        read_only_fields = fields


class CellRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CellRole
        fields = ("id", "name", "description")
        read_only_fields = fields


class InjectAttachmentSerializer(serializers.ModelSerializer):
    file_name = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField(help_text=_("Where staff download the file."))

    class Meta:
        model = InjectAttachment
        fields = ("id", "title", "file_name", "file", "order")
        read_only_fields = fields

    def get_file_name(self, attachment: InjectAttachment) -> str:
        return attachment.file.name.rsplit("/", 1)[-1]

    @extend_schema_field(serializers.URLField())
    def get_file(self, attachment: InjectAttachment) -> str:
        url = reverse(
            "exercises:attachment_download", kwargs={"slug": attachment.inject.exercise.slug, "pk": attachment.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class InjectSerializer(serializers.ModelSerializer):
    kind = EnumField(Inject.Kind)
    channel = EnumField(Inject.Channel)
    attachments = InjectAttachmentSerializer(many=True)

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
            "delivered_by",
            "phase",
            "minute_offset",
            "target_roles",
            "expected_actions",
            "learning_objectives",
            "depends_on",
            "attachments",
        )
        read_only_fields = fields


class HandoutSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(
        help_text=_("Where to download the file (for those who may open the guide); null when there is none.")
    )

    class Meta:
        model = Handout
        fields = ("id", "title", "description", "file", "order")
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, handout: Handout) -> str | None:
        if not handout.file:
            return None
        url = reverse("exercises:handout_download", kwargs={"slug": handout.exercise.slug, "pk": handout.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ExerciseSerializer(serializers.ModelSerializer):
    """The whole facilitator guide; lists carry it too (a catalogue holds a handful of exercises)."""

    kind = EnumField(Exercise.Kind)
    learning_objectives = LearningObjectiveSummarySerializer(many=True)
    phases = PhaseSerializer(many=True)
    team_roles = TeamRoleSerializer(many=True)
    cell_roles = CellRoleSerializer(many=True)
    injects = InjectSerializer(many=True)
    handouts = HandoutSerializer(many=True)
    language = language_field(read_only=True)

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
            "language",
            "variant_of",
            "phases",
            "team_roles",
            "cell_roles",
            "injects",
            "handouts",
        )
        read_only_fields = fields


class ExerciseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Exercise
        fields = ("id", "name", "slug")
        read_only_fields = fields


class RunTeamSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    number = serializers.IntegerField(source="team_role.number", read_only=True)

    class Meta:
        model = RunTeam
        fields = ("id", "name", "number", "team_role")
        read_only_fields = fields


class OwnTeamSerializer(serializers.ModelSerializer):
    """The team the reader plays in, with its briefing (in the reader's language: ``get_own_team``)."""

    name = serializers.CharField(source="__str__", read_only=True)
    number = serializers.IntegerField(source="team_role.number", read_only=True)
    briefing = serializers.CharField(source="team_role.briefing", read_only=True)
    tasks = serializers.CharField(source="team_role.tasks", read_only=True)
    language = serializers.CharField(
        source="team_role.exercise.language", read_only=True, help_text=_("The briefing's and tasks' language.")
    )

    class Meta:
        model = RunTeam
        fields = ("id", "name", "number", "briefing", "tasks", "language")
        read_only_fields = fields


class RunPhasePlacementSerializer(serializers.Serializer):
    """Where a phase of the run is planned: its session and start (``placed``: set on the plan page or
    by PATCH ``phases``; otherwise it follows the phase before it from the run's session's start)."""

    phase = serializers.IntegerField(source="phase.pk", read_only=True)
    session = serializers.IntegerField(read_only=True)
    planned_start = serializers.DateTimeField(read_only=True)
    planned_end = serializers.DateTimeField(read_only=True)
    placed = serializers.BooleanField(read_only=True)


class ExerciseRunSerializer(serializers.ModelSerializer):
    exercise = ExerciseSummarySerializer()
    lead_facilitator = UserSummarySerializer(allow_null=True)
    status = EnumField(ExerciseRun.Status)
    teams = RunTeamSerializer(many=True, help_text=_("The teams the user may see (RunTeam visible_to)."))
    own_team = serializers.SerializerMethodField(
        help_text=_("The team the reader plays in, with its briefing, once the run's teams are confirmed.")
    )
    phases = serializers.SerializerMethodField(
        help_text=_("Each phase's session and planned start, in order: a run can span several sessions.")
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
            "phases",
            "teams",
            "own_team",
        )
        read_only_fields = fields

    @extend_schema_field(RunPhasePlacementSerializer(many=True))
    def get_phases(self, run: ExerciseRun) -> list[dict[str, Any]]:
        # ExerciseRunViewSet prefetches the exercise's phases and the run's placements.
        placed = selectors.exercise_run_placements(run=run)
        rows = [
            {
                "phase": planned.phase,
                "session": part.session.pk,
                "planned_start": planned.starts_at,
                "planned_end": planned.ends_at,
                "placed": planned.phase.pk in placed,
            }
            for part in selectors.exercise_run_parts(run=run)
            for planned in part.phases
        ]
        return list(RunPhasePlacementSerializer(rows, many=True).data)

    @extend_schema_field(OwnTeamSerializer(allow_null=True))
    def get_own_team(self, run: ExerciseRun) -> dict[str, Any] | None:
        # ExerciseRunViewSet prefetches the reader's memberships from team_membership_list_for_user.
        memberships = getattr(run, "own_memberships", None)
        if memberships is None:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            memberships = list(selectors.team_membership_list_for_user(user=user).filter(run=run)) if user else []
        if not memberships:
            return None
        team = memberships[0].team
        data = dict(OwnTeamSerializer(team).data)
        # Where the exercise has a variant in the reader's language, its words (exercises.selectors.variants).
        language = reader_language(self.context.get("request"))
        briefing = selectors.team_briefing(team_role=team.team_role, exercise=run.exercise, language=language)
        data.update(briefing=briefing.briefing, tasks=briefing.tasks, language=briefing.language)
        return data


# exercise_run_create/update check it: the same rule (and message) as the web form.
_LEAD_HELP = _("One of the cohort's facilitators (checked whenever the lead is set or changed).")


def _possible_leads(user: Any) -> QuerySet[User]:
    """Who may be offered as a lead: anyone to those who see everything, else the facilitators of the
    cohorts the user sees (the service checks the run's own cohort)."""
    if access.sees_everything(user):
        return User.objects.all()
    return User.objects.filter(facilitated_cohorts__in=Cohort.objects.visible_to(user)).distinct()


def _session_field() -> VisiblePrimaryKeyField:
    return VisiblePrimaryKeyField(
        queryset=Session.objects.all(),
        visible=lambda user: Session.objects.visible_to(user),
        required=False,
        allow_null=True,
        help_text=_("A session of the same cohort."),
    )


def _lead_field() -> VisiblePrimaryKeyField:
    return VisiblePrimaryKeyField(
        queryset=User.objects.all(), visible=_possible_leads, required=False, allow_null=True, help_text=_LEAD_HELP
    )


class ExerciseRunInputSerializer(serializers.Serializer):
    """Related rows are offered and accepted among those the user may see (hardening item 1)."""

    exercise = VisiblePrimaryKeyField(
        queryset=Exercise.objects.all(), visible=lambda user: Exercise.objects.visible_to(user)
    )
    cohort = VisiblePrimaryKeyField(queryset=Cohort.objects.all(), visible=lambda user: Cohort.objects.visible_to(user))
    session = _session_field()
    lead_facilitator = _lead_field()


class RunPhasePlacementInputSerializer(serializers.Serializer):
    phase = serializers.PrimaryKeyRelatedField(
        queryset=Phase.objects.all(), help_text=_("A phase of the run's exercise.")
    )
    session = VisiblePrimaryKeyField(
        queryset=Session.objects.all(),
        visible=lambda user: Session.objects.visible_to(user),
        help_text=_("A session of the run's cohort."),
    )
    planned_start = serializers.DateTimeField(help_text=_("Inside the session, not before the phase before it ends."))


class ExerciseRunUpdateSerializer(serializers.Serializer):
    """The exercise and cohort of a run stay; its session (not once it has started) and lead facilitator may change.

    ``phases`` places every phase at once (validated whole; ``[]`` goes back to phases end to end from
    the run's session); its first phase's session becomes the run's ``session``.
    """

    session = _session_field()
    lead_facilitator = _lead_field()
    phases = RunPhasePlacementInputSerializer(many=True, required=False)
