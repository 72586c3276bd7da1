"""The shape every Concord API viewset shares: visible_to() for reads, services for writes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import RulesPermission
from core.permissions import object_for


class ServiceAPIMixin(viewsets.GenericViewSet):
    """What every Concord viewset shares: the rules, the object found by ``object_for``, validated
    input for one service call, and the answer read back through ``get_queryset()``."""

    permission_classes = (RulesPermission,)
    http_method_names = ("get", "post", "patch", "head", "options")  # type: ignore[assignment]

    def get_object(self) -> Any:
        """The object among ``get_queryset()`` (404), if the view's rule allows it (403), by ``object_for``.

        Found once per rule: RulesPermission looks a write's object up before the handler does.
        """
        perm = RulesPermission().perm_for(self.request, self)
        found: dict[str, Any] = self.__dict__.setdefault("_objects_found", {})
        if perm not in found:
            lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
            lookup = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
            try:
                queryset = self.get_queryset().filter(**lookup)
            except (TypeError, ValueError, ValidationError):
                raise Http404 from None  # an id that is not a number matches nothing
            found[perm] = object_for(user=self.request.user, queryset=queryset, perm=perm)
        return found[perm]

    def validated_input(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance: models.Model, *, status_code: int = status.HTTP_200_OK) -> Response:
        # Reload through the list's queryset so annotations and eager loading match the reads.
        fresh: Any = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceAPIMixin):
    """Lists and details come from ``get_queryset()`` (visible_to + eager loading) and the output
    serializer; ``create`` and ``partial_update`` in subclasses validate an input serializer and
    call one service. There is no PUT and no DELETE: records are retired, withdrawn or cancelled.
    """
