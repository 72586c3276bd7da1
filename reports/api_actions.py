"""The improvement plan over the API: ``/api/v1/improvement-actions/``, and ``/api/v1/programme/``.

Lists and details are the actions the user sees (``visible_to``), filtered by ``run``, ``cohort``,
``agency``, ``status`` and ``overdue``. POST adds one to a cohort or run the user plans for. PATCH changes
one: the cohort's staff any field; the action's contact only ``status`` and ``status_note`` (403 for the
others). DELETE removes one (staff). Refusals answer 400 in the one error shape and change nothing.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.requests import acting_user
from conduct.models import HotwashItem
from core.api import EnumField, VisibleRelatedField
from core.filters import IdFilter
from core.viewsets import ServiceViewSet
from exercises.models import ExerciseRun
from reports import action_selectors as selectors
from reports import action_services as services
from reports import programme
from reports.models import ImprovementAction
from trainings.models import Agency, Cohort, LearningObjective


def _planners_users(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """People one may name as a contact: any active account, for those who may write actions at all."""
    if user is None or not user.has_perm("reports.add_improvementaction"):
        return queryset.none()
    return queryset.filter(is_active=True)


def _own_runs_items(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return queryset.filter(run__in=ExerciseRun.objects.visible_to(user), kind=HotwashItem.Kind.IMPROVEMENT)


class ImprovementActionSerializer(serializers.ModelSerializer):
    status = EnumField(ImprovementAction.Status)
    contact_label = serializers.CharField()
    agency = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    run = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    objective = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    contact = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    hotwash_item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = ImprovementAction
        fields = (
            "id",
            "cohort",
            "run",
            "area",
            "hotwash_item",
            "objective",
            "action",
            "agency",
            "contact",
            "contact_label",
            "contact_name",
            "contact_email",
            "due_date",
            "status",
            "status_note",
            "completed_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ImprovementActionUpdateSerializer(serializers.Serializer):
    area = serializers.CharField(required=False, max_length=services.TEXT_MAX_LENGTH)
    action = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX_LENGTH)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)
    objective = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), allow_null=True, required=False
    )
    contact = VisibleRelatedField(queryset=User.objects.all(), visible=_planners_users, allow_null=True, required=False)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    due_date = serializers.DateField(required=False)
    status = EnumField(ImprovementAction.Status, required=False)
    status_note = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX_LENGTH)


class ImprovementActionInputSerializer(ImprovementActionUpdateSerializer):
    cohort = VisibleRelatedField(
        queryset=Cohort.objects.all(), required=False, help_text=_("Needed without a run; the run's cohort otherwise.")
    )
    run = VisibleRelatedField(queryset=ExerciseRun.objects.all(), required=False, allow_null=True)
    hotwash_item = VisibleRelatedField(
        queryset=HotwashItem.objects.all(), visible=_own_runs_items, required=False, allow_null=True
    )
    area = serializers.CharField(max_length=services.TEXT_MAX_LENGTH)
    due_date = serializers.DateField()


class ImprovementActionFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", help_text=_("A run id."))
    cohort = IdFilter(field_name="cohort_id", help_text=_("A cohort id."))
    agency = IdFilter(field_name="agency_id", help_text=_("An agency id."))
    status = django_filters.ChoiceFilter(choices=ImprovementAction.Status.choices)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text=_("True: open or in progress and due before today.")
    )

    class Meta:
        model = ImprovementAction
        fields = ("run", "cohort", "agency", "status", "overdue")

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        late = {"status__in": ImprovementAction.OPEN_STATUSES, "due_date__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class ImprovementActionViewSet(ServiceViewSet):
    http_method_names = ("get", "post", "patch", "delete", "head", "options")  # type: ignore[assignment]
    queryset = ImprovementAction.objects.all()
    serializer_class = ImprovementActionSerializer
    filterset_class = ImprovementActionFilter
    # Contacts PATCH too (status and note only: checked below); the service asks the cohort on create.
    rules_actions = {"partial_update": "reports.update_improvementaction_status"}

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return {
            "create": ImprovementActionInputSerializer,
            "partial_update": ImprovementActionUpdateSerializer,
        }.get(self.action or "", ImprovementActionSerializer)

    def get_queryset(self) -> QuerySet[ImprovementAction]:
        return selectors.action_queryset(user=self.request.user).order_by("due_date", "pk")

    @extend_schema(request=ImprovementActionInputSerializer, responses={201: ImprovementActionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(ImprovementActionInputSerializer)
        action = services.improvement_action_create(by=acting_user(request), **data)
        return self._answer(action, status_code=201)

    @extend_schema(request=ImprovementActionUpdateSerializer, responses={200: ImprovementActionSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action, by = self.get_object(), acting_user(request)
        data = self.validated_input(ImprovementActionUpdateSerializer, partial=True)
        if by.has_perm("reports.change_improvementaction", action):
            action = services.improvement_action_update(action=action, by=by, data=data)
        elif set(data) - set(services.OWNER_FIELDS):
            raise PermissionDenied
        else:
            action = services.improvement_action_status_update(
                action=action, by=by, status=data.get("status", action.status), note=data.get("status_note")
            )
        return self._answer(action)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.improvement_action_delete(action=self.get_object(), by=acting_user(request))
        return Response(status=204)

    def _answer(self, action: ImprovementAction, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=action.pk)
        data = ImprovementActionSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)


# --- the programme view ----------------------------------------------------------------------------


class RatingSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    objective = serializers.CharField()
    rated = serializers.IntegerField()
    mean = serializers.FloatField()


class ConfidenceSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    objective = serializers.CharField()
    before = serializers.FloatField()
    after = serializers.FloatField()
    change = serializers.FloatField()
    respondents_before = serializers.IntegerField()
    respondents_after = serializers.IntegerField()


class ResponseTimeSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    from_kind = serializers.CharField()
    to_kind = serializers.CharField()
    replies = serializers.IntegerField()
    median_seconds = serializers.FloatField()


class TrainedSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    agency_kind = serializers.CharField()
    country = serializers.CharField()
    participants = serializers.IntegerField()


class TrainedTotalSerializer(serializers.Serializer):
    agency_kind = serializers.CharField()
    country = serializers.CharField()
    participants = serializers.IntegerField()


class ProgrammeCohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class ProgrammeSerializer(serializers.Serializer):
    cohorts = ProgrammeCohortSerializer(many=True)
    ratings = RatingSerializer(many=True)
    confidence = ConfidenceSerializer(many=True)
    response_times = ResponseTimeSerializer(many=True)
    trained = TrainedSerializer(many=True)
    trained_totals = TrainedTotalSerializer(many=True)


class ProgrammeView(APIView):
    """The programme view's figures (coordinators only; others 403), the same as the page and its CSV.

    One document, not a list: a plain view, so that the schema documents an object.
    """

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: ProgrammeSerializer})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.has_perm("reports.view_programme"):
            raise PermissionDenied
        figures = programme.programme_figures(user=acting_user(request))
        data = {
            "cohorts": [vars(cohort) for cohort in figures.cohorts],
            **{name: figures.table(name).records() for name in programme.TABLES},
        }
        return Response(ProgrammeSerializer(data).data)
