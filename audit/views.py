"""Recording the reads of sensitive records in API viewsets: one entry per answer, never one per row."""

from typing import Any

from django.db import models

from audit.services import audit_read


def read_subject(obj: Any, path: str | None) -> int | None:
    """The id at a dotted path on ``obj`` (``"participant.user_id"``): the person a record is about."""
    if obj is None or not path:
        return None
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return int(obj)


def id_filters(params: Any) -> dict[str, str]:
    """The query's filters that are ids (``run=4``): what a list was of, with no search text in it."""
    return {key: value for key, value in params.items() if key != "page" and str(value).isdigit()}


class AuditedReadMixin:
    """A viewset whose ``retrieve`` records ``<audit_entity>.view`` and whose ``list`` records one
    ``<audit_entity>.list`` entry with the count and the id filters of the query."""

    audit_entity = ""
    # The dotted path from an object to the id of the person it is about.
    audit_subject: str | None = None
    _audited_object: models.Model | None = None

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        self._audited_object = obj
        return obj

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        obj = self._audited_object
        if response.status_code == 200 and obj is not None:
            audit_read(action=f"{self.audit_entity}.view", target=obj, subject_id=read_subject(obj, self.audit_subject))
        return response

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            data = response.data
            count = data.get("count") if isinstance(data, dict) else len(data)
            audit_read(
                action=f"{self.audit_entity}.list",
                detail={"count": count, "filters": {**id_filters(kwargs), **id_filters(request.query_params)}},
            )
        return response
