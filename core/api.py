"""API plumbing shared by every app: errors as HTTP 400 with field errors, rules permissions, named enums."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers in the one shape (``ErrorSerializer``): an object, never a bare list."""
    if isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError(detail=exc.as_dict())
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_django_errors(exc))
    elif isinstance(exc, SuspiciousOperation):
        # Too many form fields, or a body over the limits: refused in the API's shape, not as an HTML page.
        exc = exceptions.ValidationError(detail={"non_field_errors": [_("The request is too large.")]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # serializers.ValidationError("...") raised outside a serializer's validate()
        response.data = {"non_field_errors": response.data}
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an address under /api/ that no route matches answers in the API's error shape (JSON)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


# --- the one error shape ----------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer. Refusals about the request as a whole say ``detail`` (401, 403, 404,
    405, 429, ...); refused input names each field with its messages (400), and what concerns no one
    field comes under ``non_field_errors``. Some operations add fields of their own to this shape
    (``conflicts`` of a schedule clash, ``errors`` of an import): extensions, never a different shape.
    """

    detail = serializers.CharField(required=False, help_text=_("Why the request was refused."))
    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Problems that concern no single field.")
    )


FIELD_ERRORS = {
    "description": str(
        _(
            "Each refused input field, by name: a list of messages, or for a nested input the same shape "
            "inside (an object, or a list with one entry per item)."
        )
    ),
}


class ErrorSerializerExtension(OpenApiSerializerExtension):
    """``Error`` in the schema: its two named properties, and any field name with its messages."""

    target_class = ErrorSerializer
    match_subclasses = True  # extensions (e.g. ScheduleConflictError) keep their own names

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema.pop("required", None)  # an extension's own fields are optional too: input errors come instead
        schema["additionalProperties"] = FIELD_ERRORS
        return schema

    def get_name(self, auto_schema: Any, direction: Any) -> str | None:
        return "Error" if type(self.target) is ErrorSerializer or self.target is ErrorSerializer else None


ERROR_RESPONSES = {
    "400": _("Refused input (field errors) or a refused change; nothing was saved."),
    "401": _("No valid credentials: sign in, or send a token (Authorization: Token …)."),
    "403": _("Signed in, but the rules do not allow this."),
    "404": _("Not found among what you may see (or no such page of a list)."),
}
THROTTLED = _("Too many requests; try again after the time given in Retry-After.")
# core.middleware.RequestSizeLimitMiddleware answers these before any view, for every request with a body.
BODY_RESPONSES = {
    "411": _("A request body needs a Content-Length header (a chunked body is not read)."),
    "413": _("The request body is larger than the server takes."),
}


def is_error_extension(serializer: Any) -> bool:
    serializer_class = serializer if isinstance(serializer, type) else type(serializer)
    return isinstance(serializer_class, type) and issubclass(serializer_class, ErrorSerializer)


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents its 400, 401, 403 and 404 answers (and 429 when throttled) as ``Error``.

    An operation that documents an error body of its own keeps it when it extends ``ErrorSerializer``;
    any other is offered beside ``Error`` (``anyOf``), since input can still be refused field by field.
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        documented = self.get_response_serializers()
        custom = documented if isinstance(documented, dict) else {}
        codes = dict(ERROR_RESPONSES)
        if getattr(self.view, "throttle_classes", ()):
            codes["429"] = THROTTLED
        if self.method in ("POST", "PUT", "PATCH"):
            codes.update(BODY_RESPONSES)
        for code, description in codes.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = str(description)
        for code, response in responses.items():
            if code.startswith("4") and not is_error_extension(
                custom.get(int(code), custom.get(code, ErrorSerializer))
            ):
                self._accept_error_shape(response)
        return responses

    def _accept_error_shape(self, response: dict[str, Any]) -> None:
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for media in response.get("content", {}).values():
            if "schema" in media and media["schema"] != error:
                media["schema"] = {"anyOf": [media["schema"], error]}


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
        if "." in action:  # a view's own rule for an action, e.g. {"teams_confirm": "exercises.form_teams"}
            return action
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
