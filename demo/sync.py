"""Bring one object in line with the seed: create it, update it, or leave it alone, and count which.

The demo finds each object by its natural key and hands the apps' own create and update services
what it wants. An update is called only with the fields that differ, so a second load calls no
service at all and every row keeps its ``updated_at``.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def label_of(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


def changes(obj: models.Model, wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``wanted`` that differ on ``obj``.

    A related object is compared by id (no query for the row it points to); a many-to-many
    relation by its set of ids, wanted as a list of objects (the shape the services take).
    """
    return {name: value for name, value in wanted.items() if not _same(obj, name, value)}


def _same(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return bool(getattr(obj, f"{name}_id") == value.pk)
    current = getattr(obj, name)
    if isinstance(current, models.Manager):
        return set(current.values_list("pk", flat=True)) == {item.pk for item in value}
    return bool(current == value)


@dataclass
class Tally:
    """What the load created, updated or left as it was, by kind of object (for the summary)."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    links_changed: int = 0  # roles granted, staff or exercises added to what was there

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or self.links_changed)

    def count(self, label: str) -> int:
        return self.created[label] + self.updated[label] + self.unchanged[label]

    def labels(self) -> list[str]:
        return list(dict.fromkeys([*self.created, *self.updated, *self.unchanged]))

    def note(self, model: type[models.Model], *, created: bool = False, changed: bool = False) -> None:
        label = label_of(model)
        if created:
            self.created[label] += 1
        elif changed:
            self.updated[label] += 1
        else:
            self.unchanged[label] += 1

    def upsert(self, model: type[M], *, lookup: Mapping[str, Any], values: Mapping[str, Any]) -> M:
        """A direct write, for the models whose app has no services yet (see the callers)."""
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.note(model, created=True)
            return obj
        differ = changes(obj, values)
        if differ:
            for name, value in differ.items():
                setattr(obj, name, value)
            obj.full_clean()
            timestamps = ["updated_at"] if hasattr(obj, "updated_at") else []
            obj.save(update_fields=[*differ, *timestamps])
        self.note(model, changed=bool(differ))
        return obj
