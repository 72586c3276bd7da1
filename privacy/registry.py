"""The registry of personal data: every domain says what it holds about a person, why, and what
export and erasure do with it.

``privacy`` sits below the domains, so it imports none of them: each registers its ``Holding``s (and
the fields it holds that are not about a person, ``NotPersonal``) from its ``AppConfig.ready()``,
in a ``privacy_registry.py`` module. ``tests/test_privacy_registry.py`` fails when a model with a
reference to a person, or a field that looks personal, is declared nowhere (Moodle's privacy
provider test is the model). The export, the erasure and the privacy notice read this registry only.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User

Text = str | Promise


class Erasure(StrEnum):
    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the rows stay for the aggregates; what names the person is removed
    KEEP = "keep"  # the rows stay as they are, for the reason given


ERASURE_LABELS: dict[Erasure, Text] = {
    Erasure.DELETE: _("Deleted"),
    Erasure.ANONYMISE: _("Anonymised"),
    Erasure.KEEP: _("Kept"),
}


@dataclass(frozen=True)
class Holding:
    """What one model holds about a person, found through one lookup."""

    model: str  # "conduct.Observation"
    # The lookup from a row to the person's user, "pk" for the user itself: "author", "participant__user".
    person: str
    title: Text  # the export's section and the notice's line: "Observations about your team"
    fields: tuple[str, ...]  # what the export gives (lookups allowed: "cohort__name")
    purpose: Text  # why it is held
    erasure: Erasure
    erasure_note: Text  # what erasure does, or the reason the rows are kept
    # Fields of the model itself that erasure empties (blank text, or null), keeping the row.
    blank: tuple[str, ...] = ()
    # Free-text fields in which the person may be named: erasure replaces their name and e-mail there.
    text: tuple[str, ...] = ()
    # References to people that only say who did something ("recorded by"); they lead to the account,
    # which erasure anonymises, and are exported as a name only where ``fields`` says so.
    actors: tuple[str, ...] = ()
    # The rows about the person when a plain lookup on ``person`` is not enough (observations of the
    # teams they played in); receives the user, returns a queryset of ``model``.
    rows: "Callable[[User], QuerySet[Any]] | None" = None
    # Erasure other than the default (DELETE deletes the rows; ANONYMISE empties ``blank`` and takes the
    # person's name out of ``text``; the account the rows point to is anonymised either way):
    # receives the user and the rows, returns how many rows it changed.
    erase: "Callable[[User, QuerySet[Any]], int] | None" = None
    # The setting that says how long the rows are kept (a number of days), shown on the notice.
    retention_setting: str = ""
    # How the notice names fields whose own verbose name reads poorly (a library's "ip"): path -> label.
    labels: dict[str, Text] = dataclass_field(default_factory=dict)
    # Section file name in the export ZIP; default: the model's label, "conduct_observation".
    name: str = ""

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def section(self) -> str:
        return self.name or self.model.replace(".", "_").lower()

    def queryset(self, user: "User") -> QuerySet[Any]:
        if self.rows is not None:
            return self.rows(user)
        manager = self.model_class._default_manager
        if self.person == "pk":
            return manager.filter(pk=user.pk)
        return manager.filter(**{self.person: user})


@dataclass(frozen=True)
class NotPersonal:
    """Fields that look personal (a name, free text) but are not about a person, with the reason."""

    model: str
    fields: tuple[str, ...]
    reason: Text


_HOLDINGS: dict[tuple[str, str, str], Holding] = {}
_NOT_PERSONAL: dict[str, list[NotPersonal]] = {}
# Who the retention sweep erases: each domain that knows when a person's part is over names them.
RetentionCandidates = Callable[[dt.date], Iterable[int]]
_RETENTION: list[RetentionCandidates] = []


def register(*holdings: Holding) -> None:
    for holding in holdings:
        key = (holding.model, holding.person, holding.name)
        existing = _HOLDINGS.get(key)
        if existing is not None and existing != holding:
            raise ValueError(f"{holding.model} through {holding.person!r} is registered twice.")
        if holding.erasure is Erasure.KEEP and not str(holding.erasure_note):
            raise ValueError(f"{holding.model}: a kept holding needs its reason.")
        _HOLDINGS[key] = holding


def not_personal(model: str, fields: tuple[str, ...], reason: Text) -> None:
    entries = _NOT_PERSONAL.setdefault(model, [])
    entry = NotPersonal(model, fields, reason)
    if entry not in entries:
        entries.append(entry)


def holdings() -> list[Holding]:
    """Every holding, in the order the apps registered them (lower layers first)."""
    return list(_HOLDINGS.values())


def declared(model: str) -> set[str]:
    """The model's field names that some declaration covers: held, free text, actors or not personal."""
    names: set[str] = set()
    for holding in _HOLDINGS.values():
        if holding.model == model:
            for path in (holding.person, *holding.fields, *holding.blank, *holding.text, *holding.actors):
                names.add(path.split("__")[0])
    for entry in _NOT_PERSONAL.get(model, []):
        names.update(entry.fields)
    return names


def register_retention(func: RetentionCandidates) -> None:
    """``func(cutoff)`` gives the ids of the people whose data is past its retention period: everything
    that kept them here ended before ``cutoff`` (privacy knows no cohorts; trainings does)."""
    if func not in _RETENTION:
        _RETENTION.append(func)


def retention_candidates(cutoff: dt.date) -> set[int]:
    """The people some domain says are past their retention period (``privacy.services.retention_sweep``)."""
    ids: set[int] = set()
    for func in _RETENTION:
        ids.update(func(cutoff))
    return ids
