"""Places in runs' simulation cells over the API: ``/api/v1/cell-members/``.

Lists are the places the user may see (every place of the runs whose cell they manage, else their own),
filtered by ``?run=``. POST gives a place to one of the cohort's staff (``user``) or invites a guest by
``email``; PATCH changes ``kind`` and ``cell_roles``; DELETE removes the place. Managing is for
coordinators and the cohort's facilitators (``exercises.manage_cell``); refusals answer 400 in the one
error shape and change nothing.
"""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.requests import acting_user
from core.api import EnumField, VisibleRelatedField
from core.filters import IdFilter
from core.viewsets import ServiceViewSet
from exercises import selectors, services
from exercises.api.fields import VisiblePrimaryKeyField, choice_field
from exercises.models import CellRole, Exercise, ExerciseRun, RunCellMember
from exercises.services.cells import NAME_MAX_LENGTH
from trainings import access
from trainings.api.serializers import UserSummarySerializer


class RunCellMemberSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer()
    kind = EnumField(RunCellMember.Kind)
    cell_roles = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("The cell roles (of the run's exercise) this person plays.")
    )
    invited_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = RunCellMember
        fields = ("id", "run", "user", "kind", "cell_roles", "guest", "invited_by", "created_at")
        read_only_fields = fields


def _visible_cell_roles(queryset: QuerySet[CellRole], user: Any) -> QuerySet[CellRole]:
    return queryset.filter(exercise__in=Exercise.objects.visible_to(user))


def _possible_staff(user: Any) -> QuerySet[User]:
    """Whom the browsable API offers: the staff of cohorts the user facilitates (the service checks the run's)."""
    if access.sees_everything(user):
        return User.objects.all()
    cohorts = access.facilitated_cohort_ids(user)
    return User.objects.filter(Q(facilitated_cohorts__in=cohorts) | Q(coordinated_cohorts__in=cohorts)).distinct()


class RunCellMemberUpdateSerializer(serializers.Serializer):
    kind = choice_field(RunCellMember.Kind, required=False)
    cell_roles = VisibleRelatedField(
        queryset=CellRole.objects.all(), visible=_visible_cell_roles, many=True, required=False
    )


class RunCellMemberInputSerializer(RunCellMemberUpdateSerializer):
    run = VisibleRelatedField(queryset=ExerciseRun.objects.all())
    user = VisiblePrimaryKeyField(
        queryset=User.objects.all(),
        visible=_possible_staff,
        required=False,
        allow_null=True,
        help_text=_("One of the cohort's facilitators; or give `email` to invite a guest."),
    )
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text=_("A guest's address: invited by e-mail.")
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=NAME_MAX_LENGTH, help_text=_("For a new account.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("user")) == bool(attrs.get("email")):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either `user` (one of the cohort's facilitators) or a guest's `email`.")]}
            )
        return attrs


class RunCellMemberFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", help_text=_("A run id."))

    class Meta:
        model = RunCellMember
        fields = ("run",)


class RunCellMemberViewSet(ServiceViewSet):
    queryset = RunCellMember.objects.all()
    serializer_class = RunCellMemberSerializer
    filterset_class = RunCellMemberFilter
    http_method_names = ("get", "post", "patch", "delete", "head", "options")  # type: ignore[assignment]
    # Creating is asked of the run (exercises.manage_cell) by the service: 400 outside one's runs.
    rules_actions = {"create": "view"}
    input_serializers: dict[str, type[serializers.Serializer]] = {
        "create": RunCellMemberInputSerializer,
        "partial_update": RunCellMemberUpdateSerializer,
    }

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.input_serializers.get(self.action or "", RunCellMemberSerializer)

    def get_queryset(self) -> QuerySet[RunCellMember]:
        return selectors.cell_member_queryset(user=self.request.user)

    @extend_schema(request=RunCellMemberInputSerializer, responses={201: RunCellMemberSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(RunCellMemberInputSerializer)
        by, run = acting_user(request), data["run"]
        place_fields = {"kind": data.get("kind", ""), "cell_roles": data.get("cell_roles", [])}
        if data.get("email"):
            place_fields["kind"] = place_fields["kind"] or RunCellMember.Kind.ROLE_PLAYER
            place = services.cell_guest_invite(
                run=run, email=data["email"], name=data.get("name", ""), by=by, **place_fields
            )
        else:
            place_fields["kind"] = place_fields["kind"] or RunCellMember.Kind.CONTROLLER
            place = services.cell_member_add(run=run, user=data["user"], by=by, **place_fields)
        return self._answer(place, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=RunCellMemberUpdateSerializer, responses={200: RunCellMemberSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        place = services.cell_member_update(
            member=self.get_object(),
            by=acting_user(request),
            **self.validated_input(RunCellMemberUpdateSerializer, partial=True),
        )
        return self._answer(place)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.cell_member_remove(member=self.get_object(), by=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _answer(self, place: RunCellMember, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=place.pk)
        return Response(RunCellMemberSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)
