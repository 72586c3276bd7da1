"""Filters every app's API shares."""

from typing import Any

import django_filters
from django import forms

# The largest key PostgreSQL's bigint holds: a larger number matches nothing and must not reach the database.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number within the database key's range; anything else answers 400, never 500."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
