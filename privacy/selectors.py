"""Reads for privacy's pages and API."""

from typing import Any

from accounts.models import User
from privacy import registry


def person_erasure_plan(*, person: User) -> list[dict[str, Any]]:
    """What erasing the person would do, holding by holding: its title, how many rows it has for them,
    what erasure does to them and why (the erasure page's table)."""
    plan = []
    for holding in registry.holdings():
        plan.append(
            {
                "title": holding.title,
                "rows": holding.queryset(person).count(),
                "erasure": registry.ERASURE_LABELS[holding.erasure],
                "kept": holding.erasure is registry.Erasure.KEEP,
                "note": holding.erasure_note,
            }
        )
    return plan
