"""The audit trail as coordinators read it: the filters, the people behind the ids, the export's rows.

It lives here, not in ``audit``: naming people needs the user model, and ``audit`` sits below accounts.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import AuditEntry
from audit.selectors import audit_entry_list

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=254,
        help_text=_("Part of an e-mail address: entries by or about the people it matches."),
    )
    target_type = forms.CharField(
        label=_("Object type"), required=False, max_length=64, help_text=_("e.g. trainings.cohort")
    )
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    action = forms.CharField(
        label=_("Action"), required=False, max_length=64, help_text=_("The start of it, e.g. enrolment.")
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target_id") and not data.get("target_type"):
            self.add_error("target_type", _("Give the object type with its id."))
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end comes before the start."))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries_filtered(*, data: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The entries a valid ``AuditFilterForm`` asks for, newest first; ``until`` includes its whole day."""
    person = (data.get("person") or "").strip()
    until = data.get("until")
    return audit_entry_list(
        people=User.objects.filter(email__icontains=person).values("pk") if person else None,
        target_type=(data.get("target_type") or "").strip(),
        target_id=(data.get("target_id") or "").strip(),
        action=(data.get("action") or "").strip(),
        since=_day_start(data["since"]) if data.get("since") else None,
        until=_day_start(until + dt.timedelta(days=1)) if until else None,
    )


def audit_people(*, entries: Iterable[AuditEntry]) -> dict[int, User]:
    """The people the entries name (actors and subjects), in one query."""
    ids = {i for entry in entries for i in (entry.actor_id, entry.subject_id) if i is not None}
    if not ids:
        return {}
    return {
        user.pk: user
        for user in User.objects.filter(pk__in=ids).only("pk", "email", "first_name", "last_name", "erased_at")
    }


def filters_used(data: dict[str, Any]) -> list[str]:
    """The names of the filters given: what an export entry may say about the query (no search text)."""
    return sorted(name for name, value in data.items() if value not in (None, ""))


EXPORT_HEADERS: Sequence[str] = (
    "id",
    "at",
    "actor_id",
    "actor_email",
    "action",
    "target_type",
    "target_id",
    "subject_id",
    "subject_email",
    "ip",
    "user_agent",
    "detail",
    "seq",
)


def audit_export_rows(*, entries: Sequence[AuditEntry]) -> list[list[Any]]:
    people = audit_people(entries=entries)

    def email(user_id: int | None) -> str:
        user = people.get(user_id) if user_id is not None else None
        return user.email if user else ""

    return [
        [
            e.pk,
            e.at.isoformat(),
            e.actor_id or "",
            email(e.actor_id),
            e.action,
            e.target_type,
            e.target_id,
            e.subject_id or "",
            email(e.subject_id),
            e.ip,
            e.user_agent,
            json.dumps(e.detail, sort_keys=True),
            e.seq or "",
        ]
        for e in entries
    ]
