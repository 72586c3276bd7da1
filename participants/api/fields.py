"""Input fields for what people type: addresses and names, normalised as every other path does (``core.text``)."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.text import normalise_email, normalise_name


@extend_schema_field(OpenApiTypes.EMAIL)
class EmailAddressField(serializers.CharField):
    """An email address: NFKC (a full-width look-alike becomes ASCII), invisible characters refused.

    A plain ``EmailField`` would refuse some look-alikes the pages accept and let zero-width
    characters through (IDNA drops them when validating); this field agrees with the roster import.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        if not text:
            return text
        try:
            return normalise_email(text)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class NameField(serializers.CharField):
    """A person's name: NFKC, single spaces, invisible characters refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            return normalise_name(text)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
