"""The one way to find an object for a person: among what they may see (404), then ask the rule (403).

Pages (``core.views.ObjectPermissionMixin``) and the API (DRF turns Http404 and PermissionDenied into
404 and 403) use it alike. An object someone may not see is never admitted to exist.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def object_for(*, user: Any, queryset: QuerySet[Any], perm: str = "", **lookup: Any) -> Any:
    """The object matching ``lookup`` in ``queryset`` (already ``visible_to(user)``), if ``perm`` allows it."""
    obj: Model | None = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
