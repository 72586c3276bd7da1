"""The hot-wash board over the API: ``/api/v1/hotwash-items/``.

Lists and details are the points the user sees (the run's staff; participants never see one), filtered by
``?run=``. POST writes one on a run the user facilitates; PATCH and DELETE change or remove one's own.
Refusals answer 400 in the one error shape and change nothing.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from conduct import selectors, services
from conduct.models import HotwashItem
from core.api import EnumField, VisibleRelatedField
from core.filters import IdFilter
from core.viewsets import ServiceViewSet
from exercises.models import ExerciseRun, RunTeam
from trainings.models import AgencyKind, LearningObjective


class HotwashItemSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField(allow_null=True)
    kind = EnumField(HotwashItem.Kind)
    agency_kind = EnumField(AgencyKind, allow_blank=True)

    class Meta:
        model = HotwashItem
        fields = ("id", "run", "kind", "text", "team", "agency_kind", "objective", "author", "created_at", "updated_at")
        read_only_fields = fields


class HotwashItemUpdateSerializer(serializers.Serializer):
    # The service refuses another run's team and an objective of neither the exercise nor the course.
    kind = EnumField(HotwashItem.Kind, required=False)
    text = serializers.CharField(required=False, max_length=services.HOTWASH_MAX_LENGTH)
    team = VisibleRelatedField(queryset=RunTeam.objects.all(), allow_null=True, required=False)
    agency_kind = EnumField(AgencyKind, allow_blank=True, required=False, help_text=_("Instead of a team."))
    objective = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), allow_null=True, required=False
    )


class HotwashItemInputSerializer(HotwashItemUpdateSerializer):
    run = VisibleRelatedField(queryset=ExerciseRun.objects.all())
    kind = EnumField(HotwashItem.Kind)
    text = serializers.CharField(max_length=services.HOTWASH_MAX_LENGTH)


class HotwashItemFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", help_text=_("A run id."))

    class Meta:
        model = HotwashItem
        fields = ("run",)


class HotwashItemViewSet(ServiceViewSet):
    http_method_names = ("get", "post", "patch", "delete", "head", "options")  # type: ignore[assignment]
    queryset = HotwashItem.objects.all()
    serializer_class = HotwashItemSerializer
    filterset_class = HotwashItemFilter
    # Writing is asked of the run (conduct.debrief_run) by the service: 400 outside one's runs.
    rules_actions = {"create": "view"}
    input_serializers: dict[str, type[serializers.Serializer]] = {
        "create": HotwashItemInputSerializer,
        "partial_update": HotwashItemUpdateSerializer,
    }

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.input_serializers.get(self.action or "", HotwashItemSerializer)

    def get_queryset(self) -> QuerySet[HotwashItem]:
        return selectors.hotwash_queryset(user=self.request.user).order_by("run", "kind", "created_at", "pk")

    @extend_schema(request=HotwashItemInputSerializer, responses={201: HotwashItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(HotwashItemInputSerializer)
        item = services.hotwash_item_create(by=acting_user(request), **data)
        return self._answer(item, status_code=201)

    @extend_schema(request=HotwashItemUpdateSerializer, responses={200: HotwashItemSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = services.hotwash_item_update(
            item=self.get_object(),
            by=acting_user(request),
            data=self.validated_input(HotwashItemUpdateSerializer, partial=True),
        )
        return self._answer(item)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.hotwash_item_delete(item=self.get_object(), by=acting_user(request))
        return Response(status=204)

    def _answer(self, item: HotwashItem, *, status_code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(HotwashItemSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)
