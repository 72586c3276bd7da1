"""API plumbing shared by every app: errors as HTTP 400 with field errors, rules permissions, named enums."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_django_errors(exc))
    elif isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError(detail=exc.as_dict())
    return drf_exception_handler(exc, context)


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


class RulesPermission(permissions.BasePermission):
    """Asks django-rules for ``<app_label>.<action>_<model_name>`` of the view's queryset model.

    Reading a list needs only a signed-in user: the view's queryset applies ``visible_to(user)``.
    Objects are checked against the rule (``view`` for reads, ``change`` for PATCH, ...); creating
    is checked at the model level. A write to one object (PATCH, a detail action) is asked about
    that object before anything else runs: 404 when the user may not see it, 403 when the rule
    refuses. A view maps its extra actions with ``rules_actions``, e.g. ``{"retire": "change"}``.
    """

    method_actions: ClassVar[dict[str, str]] = {
        "GET": "view",
        "HEAD": "view",
        "OPTIONS": "view",
        "POST": "add",
        "PUT": "change",
        "PATCH": "change",
        "DELETE": "delete",
    }

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        detail = getattr(view, "detail", False)
        if detail and request.method not in permissions.SAFE_METHODS:
            # Not let through to be refused later: the browsable API asks here whether to draw a
            # form (with every row of its related fields) on a 403 or 405 page.
            self._check_object(view)
            return True
        action = self._action(request, view)
        if action == "view" or detail:
            return True
        return user.has_perm(self._perm(action, view))

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return request.user.has_perm(self.perm_for(request, view), obj)

    def perm_for(self, request: Request, view: APIView) -> str:
        """The rule this request asks about the view's objects, e.g. ``trainings.change_session``."""
        return self._perm(self._action(request, view), view)

    def _check_object(self, view: APIView) -> None:
        get_object = getattr(view, "get_object", None)
        if get_object is None:
            return
        try:
            get_object()
        except Http404 as error:
            raise exceptions.NotFound from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied from error

    def _action(self, request: Request, view: APIView) -> str:
        mapped = getattr(view, "rules_actions", {}).get(getattr(view, "action", None))
        return mapped or self.method_actions.get(request.method or "", "change")

    def _perm(self, action: str, view: APIView) -> str:
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else view.get_queryset().model  # type: ignore[attr-defined]
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of a row the requesting user may see: ``visible(queryset, user)``, by default ``visible_to(user)``.

    An id beyond it is refused as one that does not exist, and the browsable API offers only these rows.
    """

    def __init__(self, *, visible: Callable[[QuerySet[Any], Any], QuerySet[Any]] | None = None, **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[assignment]  # always given a queryset
        user = getattr(self.context.get("request"), "user", None)
        if self.visible is not None:
            return self.visible(queryset, user)
        return queryset.visible_to(user)  # type: ignore[attr-defined]


class EnumField(serializers.ChoiceField):
    """A choice field whose values appear once, as a named enum, in the OpenAPI schema.

    drf-spectacular names enums by field name and warns when two choice sets share one
    (``status`` of a session and of an enrolment); naming each set after its choices class avoids that.
    """

    def __init__(self, choices: Any, *, enum_name: str = "", **kwargs: Any) -> None:
        if isinstance(choices, type) and issubclass(choices, models.Choices):
            enum_name = enum_name or choices.__qualname__.replace(".", "")
            choices = choices.choices
        if not enum_name:
            raise TypeError("EnumField needs a Choices class or an enum_name.")
        self.enum_name = f"{enum_name}Enum"
        super().__init__(choices=choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        choices = self.target.choices
        schema = {
            "type": "string",
            "enum": [str(value) for value in choices],
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.items()),
        }
        registered = auto_schema.registry._components.get((self.get_name(), "schemas"))
        if registered is not None and registered.schema["enum"] != schema["enum"]:
            warn(f'Two different choice sets are both named "{self.get_name()}".')
        return schema
