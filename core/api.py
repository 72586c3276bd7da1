"""API plumbing shared by every app: errors become HTTP 400 with field errors."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
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
