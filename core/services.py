"""Helpers every app's services share: apply data, validate everything at once, make slugs."""

import contextlib
import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

Errors = dict[str, list[str]]


@dataclass
class AppliedFields:
    """The field names ``model_apply`` compared while it was being watched, and those it changed."""

    compared: set[str] = dataclasses.field(default_factory=set)
    changed: set[str] = dataclasses.field(default_factory=set)

    def unchanged(self) -> set[str]:
        return self.compared - self.changed


_watching: ContextVar[tuple[AppliedFields, ...]] = ContextVar("applied_fields", default=())


@contextlib.contextmanager
def applied_fields() -> Iterator[AppliedFields]:
    """Watch what ``model_apply`` compares and changes inside (the audit trail's ``audited`` does, to name
    only the fields a write changed). Watches nest: an inner one's fields count for the outer ones too."""
    watched = AppliedFields()
    token = _watching.set((*_watching.get(), watched))
    try:
        yield watched
    finally:
        _watching.reset(token)


def model_apply(*, instance: models.Model, fields: Sequence[str], data: Mapping[str, Any]) -> list[str]:
    """Copy the allowed ``fields`` present in ``data`` onto ``instance``; return those that changed."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"{type(instance).__name__} cannot update {sorted(unknown)}")
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    for watched in _watching.get():
        watched.compared.update(name for name in fields if name in data)
        watched.changed.update(changed)
    return changed


def model_full_clean(*, instance: models.Model, errors: Errors | None = None) -> None:
    """``full_clean()`` plus the service's own field errors, raised together as one ApplicationError.

    Fields the service already refused are left out of ``full_clean`` so one problem gives one message.
    """
    collected: Errors = {field: list(messages) for field, messages in (errors or {}).items() if messages}
    try:
        instance.full_clean(exclude=list(collected))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            # clean() runs even for excluded fields: keep one copy of a message the service already gave.
            known = collected.setdefault(field, [])
            known.extend(m for m in messages if m not in known)
    if collected:
        raise ApplicationError(field_errors=collected)


def country_code_errors(*, country: str, field: str = "country") -> Errors:
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        return {field: [_("Use a two-letter ISO 3166 country code, e.g. PL.")]}
    return {}


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:70] or "item"
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def merge_errors(*parts: Errors) -> Errors:
    merged: Errors = {}
    for part in parts:
        for field, messages in part.items():
            merged.setdefault(field, []).extend(messages)
    return merged
