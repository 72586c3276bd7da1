"""Shapes of a run's teams over the API: the teams with their members, the assistant's proposal, and
what confirming takes. The routes are ``exercises.api.runs.ExerciseRunViewSet``'s."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import EnumField
from exercises import selectors
from exercises.api.fields import choice_field
from exercises.assistant import Strategy
from exercises.models import ExerciseRun
from participants.models import Enrolment
from trainings.models import AgencyKind


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


class PositionSeatsSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="position.pk")
    name = serializers.CharField(source="position.name")
    agency_kind = EnumField(AgencyKind, source="position.agency_kind")
    seats = serializers.IntegerField(source="position.seats")
    holders = serializers.SerializerMethodField(help_text=_("Enrolment ids of the members who hold it."))
    empty_seats = serializers.IntegerField()

    def get_holders(self, seats: selectors.PositionSeats) -> list[int]:
        return [e.pk for e in seats.holders]


class TeamLineupSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.pk")
    number = serializers.IntegerField(source="team.team_role.number")
    name = serializers.CharField(source="team.__str__")
    mixed = serializers.BooleanField(source="team.team_role.mixed")
    agency_kind = EnumField(AgencyKind, source="team.team_role.agency_kind", allow_blank=True)
    planned_size = serializers.IntegerField(allow_null=True)
    positions = PositionSeatsSerializer(many=True)
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
    strategy = choice_field(Strategy, enum_name="TeamStrategy")
    seed = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, default=0, help_text=_("The same seed gives the same proposal.")
    )


class TeamConfirmInputSerializer(serializers.Serializer):
    assignments = TeamAssignmentSerializer(
        many=True, allow_empty=True, help_text=_("Every enrolled or invited person of the cohort, once.")
    )
