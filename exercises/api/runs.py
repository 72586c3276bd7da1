"""Exercise runs over the API: a cohort's runs and their sessions, and forming each run's teams.

A run's teams are actions of the run: ``/api/v1/exercise-runs/{id}/teams/`` (GET), ``.../teams/propose/``
and ``.../teams/confirm/`` (POST). They are for coordinators and the run cohort's facilitators
(``exercises.form_teams``): the run's participants get 403 and anybody else 404. Participants read
their own team and briefing on the run page and the dashboard, once the teams are confirmed.
"""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from core.permissions import object_for
from core.viewsets import ServiceViewSet
from exercises import selectors, services
from exercises.api.serializers import (
    ExerciseRunInputSerializer,
    ExerciseRunSerializer,
    ExerciseRunUpdateSerializer,
)
from exercises.api.teams import (
    RunTeamLineupSerializer,
    TeamConfirmInputSerializer,
    TeamProposalSerializer,
    TeamProposeInputSerializer,
)
from exercises.conflicts import run_warnings
from exercises.filters import ExerciseRunFilter
from exercises.models import ExerciseRun, RunTeam
from trainings.api.schedule import ConflictResponseMixin, ScheduleConflictErrorSerializer, warned, with_warnings

ExerciseRunWithWarningsSerializer = with_warnings(ExerciseRunSerializer)


class ExerciseRunViewSet(ConflictResponseMixin, ServiceViewSet):
    """Runs of an exercise for a cohort, with their teams.

    Putting a run in a session (or changing its lead) is checked for conflicts: hard ones answer
    400 with ``conflicts``; soft ones (the run is longer than the session) come back as ``warnings``.
    ``phases`` shows where each phase is planned; PATCH ``phases`` places them all over the cohort's
    sessions (exercises.services.run_phases_place), refused whole with errors under ``phases.<phase id>``.
    """

    queryset = ExerciseRun.objects.all()
    serializer_class = ExerciseRunSerializer
    filterset_class = ExerciseRunFilter
    # Forming teams is its own rule: the cohort's facilitators form teams without changing the run.
    rules_actions = {
        "teams": "exercises.form_teams",
        "teams_propose": "exercises.form_teams",
        "teams_confirm": "exercises.form_teams",
    }
    search_fields = ("exercise__name", "cohort__name")
    ordering_fields = ("status", "session__starts_at")

    # What each write takes: the browsable API's forms show these, with only the rows the user sees.
    input_serializers: dict[str, type[serializers.Serializer]] = {
        "create": ExerciseRunInputSerializer,
        "partial_update": ExerciseRunUpdateSerializer,
        "teams": RunTeamLineupSerializer,
        "teams_propose": TeamProposeInputSerializer,
        "teams_confirm": TeamConfirmInputSerializer,
    }

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.input_serializers.get(self.action or "", ExerciseRunSerializer)

    def get_queryset(self) -> QuerySet[ExerciseRun]:
        # Teams are listed only for those allowed to see them (the run's staff).
        user = self.request.user
        teams = RunTeam.objects.visible_to(user)
        own = selectors.team_membership_list_for_user(user=user)
        return (
            ExerciseRun.objects.visible_to(user)
            .select_related("exercise", "lead_facilitator", "session")
            .prefetch_related(
                "exercise__phases",
                selectors.placements_prefetch(),
                Prefetch("teams", queryset=teams.select_related("team_role")),
                Prefetch("memberships", queryset=own, to_attr="own_memberships"),
            )
        )

    def respond_scheduled(self, run: ExerciseRun, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().select_related("session__cohort").get(pk=run.pk)
        warned(fresh, run_warnings(run=fresh))
        data = ExerciseRunWithWarningsSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status_code)

    @extend_schema(
        request=ExerciseRunInputSerializer,
        responses={201: ExerciseRunWithWarningsSerializer, 400: ScheduleConflictErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        run = services.exercise_run_create(**self.validated_input(ExerciseRunInputSerializer))
        return self.respond_scheduled(run, status_code=201)

    @extend_schema(
        request=ExerciseRunUpdateSerializer,
        responses={200: ExerciseRunWithWarningsSerializer, 400: ScheduleConflictErrorSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = self.validated_input(ExerciseRunUpdateSerializer, partial=True)
        placements = data.pop("phases", None)
        with transaction.atomic():  # a new session and the phases placed in it are saved together
            run = services.exercise_run_update(run=self.get_object(), data=data)
            if placements is not None:
                run = services.run_phases_place(run=run, placements=placements, by=acting_user(request))
        return self.respond_scheduled(run)

    # --- the run's teams ---------------------------------------------------------------------------

    def _team_run(self, pk: str) -> ExerciseRun:
        """The run among those the user sees (404), if they may form its teams (403)."""
        runs = ExerciseRun.objects.visible_to(self.request.user).select_related("cohort", "teams_confirmed_by")
        return object_for(user=self.request.user, queryset=runs, perm="exercises.form_teams", pk=pk)

    def _lineup(self, run: ExerciseRun) -> Response:
        roster = selectors.team_roster_load(run=run)
        data = {
            "roster": roster,
            "can_form": selectors.team_formation_refusal(run=run) is None,
            "groups": selectors.team_assignment_groups(roster=roster, assignment=roster.current),
        }
        return Response(RunTeamLineupSerializer(data).data)

    @extend_schema(responses=RunTeamLineupSerializer, summary="The run's teams as confirmed, with their members")
    @action(detail=True, methods=["get"], url_path="teams", url_name="teams")
    def teams(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._lineup(self._team_run(pk))

    @extend_schema(
        request=TeamProposeInputSerializer,
        responses=TeamProposalSerializer,
        summary="The assistant's proposal (nothing is saved)",
        description="`realistic`: everyone plays their own agency (or its nearest equivalent); "
        "`perspective`: everyone plays another agency; `mixed`: every team gets a balanced mix of agencies "
        "and countries. Team sizes differ by one at most and no team is left empty.",
    )
    @action(detail=True, methods=["post"], url_path="teams/propose", url_name="teams-propose")
    def teams_propose(self, request: Request, pk: str, **kwargs: Any) -> Response:
        run = self._team_run(pk)
        data = self.validated_input(TeamProposeInputSerializer)
        strategy, seed = data["strategy"], data["seed"]
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
    @action(detail=True, methods=["post"], url_path="teams/confirm", url_name="teams-confirm")
    def teams_confirm(self, request: Request, pk: str, **kwargs: Any) -> Response:
        run = self._team_run(pk)
        pairs = [
            (row["enrolment"], row["team"]) for row in self.validated_input(TeamConfirmInputSerializer)["assignments"]
        ]
        run = services.team_assignment_confirm(run=run, assignments=pairs, by=acting_user(self.request))
        return self._lineup(run)
