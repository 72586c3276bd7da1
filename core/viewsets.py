"""The shape every Concord API viewset shares: visible_to() for reads, services for writes."""

from typing import Any

from django.db import models
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import RulesPermission


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and details come from ``get_queryset()`` (visible_to + eager loading) and the output
    serializer; ``create`` and ``partial_update`` in subclasses validate an input serializer and
    call one service. There is no PUT and no DELETE: records are retired, withdrawn or cancelled.
    """

    permission_classes = (RulesPermission,)
    http_method_names = ("get", "post", "patch", "head", "options")  # type: ignore[assignment]

    @property
    def acting_user(self) -> Any:
        # RulesPermission lets only signed-in users through.
        return self.request.user

    def validated_input(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance: models.Model, *, status_code: int = status.HTTP_200_OK) -> Response:
        # Reload through the list's queryset so annotations and eager loading match the reads.
        fresh: Any = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)
