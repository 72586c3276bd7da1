"""A run's teams over the API: the current teams, the assistant's proposal, and the confirmation.

Routed under the run, ``/api/v1/exercise-runs/{id}/teams/`` (GET), ``.../teams/propose/`` and
``.../teams/confirm/`` (POST), by a viewset of its own: ``exercises`` may not import this app.
Coordinators and the run cohort's facilitators only; the run's participants get 403 and anybody
else 404. Participants read their own team and briefing on the run page and the dashboard.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import EnumField
from exercises import selectors, services
from exercises.assistant import Strategy
from exercises.models import ExerciseRun
from participants.models import Enrolment
from trainings.models import AgencyKind

# --- shapes --------------------------------------------------------------------------------------


class TeamPlayerSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(source="pk")
    participant = serializers.IntegerField(source="participant_id")
    name = serializers.CharField(source="participant.__str__")
    email = serializers.EmailField(source="participant.user.email")
    status = EnumField(Enrolment.Status)
    agency = serializers.CharField(source="participant.agency.name", allow_null=True)
    agency_kind = EnumField(AgencyKind, source="participant.agency.kind", allow_null=True)
    country = serializers.SerializerMethodField(help_text=_("The person's country, else their agency's."))

    def get_country(self, enrolment: Enrolment) -> str:
        return selectors.enrolment_country(enrolment)


class TeamLineupSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.pk")
    number = serializers.IntegerField(source="team.team_role.number")
    name = serializers.CharField(source="team.__str__")
    agency_kind = EnumField(AgencyKind, source="team.team_role.agency_kind")
    members = TeamPlayerSerializer(many=True)


class TeamAssignmentSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    team = serializers.IntegerField()


class RunTeamLineupSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="roster.run.pk")
    status = EnumField(ExerciseRun.Status, source="roster.run.status")
    can_form = serializers.BooleanField(help_text=_("False once the run has started, finished or been cancelled."))
    teams_confirmed_at = serializers.DateTimeField(source="roster.run.teams_confirmed_at", allow_null=True)
    teams_confirmed_by = serializers.EmailField(source="roster.run.teams_confirmed_by.email", allow_null=True)
    teams = TeamLineupSerializer(many=True, source="groups")


class TeamProposalSerializer(serializers.Serializer):
    strategy = EnumField(Strategy, enum_name="TeamStrategy")
    seed = serializers.IntegerField()
    teams = TeamLineupSerializer(many=True, source="groups")
    assignments = TeamAssignmentSerializer(many=True, help_text=_("Post these to confirm/ as they are, or adjusted."))


class TeamProposeInputSerializer(serializers.Serializer):
    strategy = EnumField(Strategy, enum_name="TeamStrategy")
    seed = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, default=0, help_text=_("The same seed gives the same proposal.")
    )


class TeamConfirmInputSerializer(serializers.Serializer):
    assignments = TeamAssignmentSerializer(
        many=True, allow_empty=True, help_text=_("Every enrolled or invited person of the cohort, once.")
    )


# --- the viewset -----------------------------------------------------------------------------


class CanFormTeams(permissions.BasePermission):
    """The run must be visible (else 404, from the queryset) and the user allowed to form its teams."""

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return request.user.has_perm("exercises.form_teams", obj)


class RunTeamsViewSet(viewsets.GenericViewSet):
    queryset = ExerciseRun.objects.all()
    permission_classes = (permissions.IsAuthenticated, CanFormTeams)
    serializer_class = RunTeamLineupSerializer
    pagination_class = None
    filter_backends = ()

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        return ExerciseRun.objects.visible_to(self.request.user).select_related("cohort", "teams_confirmed_by")

    def _current(self, run: ExerciseRun) -> Response:
        roster = selectors.team_roster_load(run=run)
        data = {
            "roster": roster,
            "can_form": selectors.team_formation_refusal(run=run) is None,
            "groups": selectors.team_assignment_groups(roster=roster, assignment=roster.current),
        }
        return Response(RunTeamLineupSerializer(data).data)

    @extend_schema(responses=RunTeamLineupSerializer, summary="The run's teams as confirmed, with their members")
    @action(detail=False, methods=["get"], url_path="teams", url_name="current")
    def current(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._current(self.get_object())

    @extend_schema(
        request=TeamProposeInputSerializer,
        responses=TeamProposalSerializer,
        summary="The assistant's proposal (nothing is saved)",
        description="`realistic`: everyone plays their own agency (or its nearest equivalent); "
        "`perspective`: everyone plays another agency; `mixed`: every team gets a balanced mix of agencies "
        "and countries. Team sizes differ by one at most and no team is left empty.",
    )
    @action(detail=False, methods=["post"], url_path="teams/propose", url_name="propose")
    def propose(self, request: Request, pk: str, **kwargs: Any) -> Response:
        run = self.get_object()
        data = TeamProposeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        strategy, seed = data.validated_data["strategy"], data.validated_data["seed"]
        roster = selectors.team_roster_load(run=run)
        assignment = selectors.team_assignment_propose(roster=roster, strategy=strategy, seed=seed)
        proposal = {
            "strategy": strategy,
            "seed": seed,
            "groups": selectors.team_assignment_groups(roster=roster, assignment=assignment),
            "assignments": [{"enrolment": e, "team": t} for e, t in assignment.items()],
        }
        return Response(TeamProposalSerializer(proposal).data)

    @extend_schema(
        request=TeamConfirmInputSerializer,
        responses=RunTeamLineupSerializer,
        summary="Save the run's teams, replacing earlier ones",
        description="Refused with HTTP 400, saving nothing, when someone is missing, placed twice or not "
        "enrolled in the run's cohort, when a team would be empty while there are people for it, or when "
        "the run has started.",
    )
    @action(detail=False, methods=["post"], url_path="teams/confirm", url_name="confirm")
    def confirm(self, request: Request, pk: str, **kwargs: Any) -> Response:
        run = self.get_object()
        data = TeamConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pairs = [(row["enrolment"], row["team"]) for row in data.validated_data["assignments"]]
        run = services.team_assignment_confirm(run=run, assignments=pairs, by=request.user)
        return self._current(run)
