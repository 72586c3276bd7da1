"""Serializer fields of the exercises API."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Choices, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api import EnumField


def _invalid_choice(values: list[str]) -> str:
    # DRF fills in {input} when it refuses (str.format): cut to 80 characters, whatever its type.
    return _("“%(value)s” is not a valid choice; use one of: %(choices)s.") % {
        "value": "{input!s:.80}",
        "choices": ", ".join(values).replace("{", "{{").replace("}", "}}"),
    }


_invalid_choice_lazy = lazy(_invalid_choice, str)


def choice_field(choices: type[Choices], **kwargs: Any) -> EnumField:
    """An ``EnumField`` for input whose refusal names the valid values: “"chaos" is not a valid choice”
    alone does not say what is (hardening item 26). The message is translated when it is shown.

    A function rather than a subclass: drf-spectacular names each enum once, by field class.
    """
    values = [str(value) for value in choices.values]
    error_messages = {"invalid_choice": _invalid_choice_lazy(values), **kwargs.pop("error_messages", {})}
    return EnumField(choices, error_messages=error_messages, **kwargs)


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related field that offers (in the browsable API's forms) and accepts only the rows the
    requesting user may see: ``visible(user)``, evaluated per request. ``queryset`` names the model
    for the schema."""

    def __init__(self, *, visible: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return self.visible(getattr(request, "user", None) or AnonymousUser())
