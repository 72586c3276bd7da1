"""``@audited``: one line on a service records its write in the service's transaction.

Put it under ``@transaction.atomic`` (so the entry is written inside the work's transaction). A function
without one (it commits in parts on purpose: a sweep per run, a render that records its failure) gets its
entry once it returns, in no transaction of its own: wrapping it in one would change what it commits. The
entry names:

- ``target``: the keyword argument holding the object written (read *before* the call, so a deleted
  object keeps its id), or, without it, the returned model instance (the first one of a tuple);
- ``subject``: the dotted path, on the target, to the id of the person the write is about
  (``"participant.user_id"``);
- ``fields``: the keys of the ``data`` keyword argument (field names, never values) unless
  ``fields=None``, less those the write left as they were: a key ``core.services.model_apply`` compared
  during the call (on the target or another object of the write) and never found different. A key the
  service handles itself (a many-to-many set, a plan, a service that sets and saves every field it is
  given) stays listed: nothing says it did not change;
- a count when the function returns one (``detail={"count": n}``), and no entry at all when that count
  is 0 (a periodic sweep that found nothing wrote nothing).
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import models

from audit.services import audit_record
from audit.views import read_subject
from core.services import AppliedFields, applied_fields

F = TypeVar("F", bound=Callable[..., Any])


def _instance(value: Any) -> models.Model | None:
    if isinstance(value, models.Model):
        return value
    if isinstance(value, tuple) and value and isinstance(value[0], models.Model):
        return value[0]
    return None


def _fields(kwargs: dict[str, Any], name: str | None, applied: AppliedFields) -> list[str] | None:
    data = kwargs.get(name) if name else None
    if data is None:
        return None
    keys = data.keys() if hasattr(data, "keys") else []
    unchanged = applied.unchanged()
    return sorted(str(key) for key in keys if key not in unchanged)


def _nothing(result: Any) -> bool:
    """A count of 0 (a sweep that found nothing): no entry."""
    return isinstance(result, int) and not isinstance(result, bool) and result == 0


def audited(
    action: str,
    *,
    target: str | None = None,
    subject: str | None = None,
    fields: str | None = "data",
) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            before = kwargs.get(target) if target else None
            # Before the call: a deleted object has no pk afterwards.
            named = (before._meta.label_lower, before.pk) if isinstance(before, models.Model) else None
            with applied_fields() as applied:
                result = func(*args, **kwargs)
            if _nothing(result):
                return result
            obj = before if target else _instance(result)
            detail: dict[str, Any] = {}
            changed = _fields(kwargs, fields, applied)
            if changed is not None:
                detail["fields"] = changed
            if isinstance(result, int) and not isinstance(result, bool):
                detail["count"] = result
            audit_record(
                action=action,
                target=named if named and (obj is None or obj.pk is None) else obj,
                subject_id=read_subject(obj, subject),
                detail=detail,
            )
            return result

        return cast(F, wrapper)

    return decorate
