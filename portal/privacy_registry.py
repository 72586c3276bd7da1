"""What portal holds about people: their calendar feeds (privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, register


def register_personal_data() -> None:
    register(
        Holding(
            model="portal.CalendarFeed",
            person="user",
            title=_("Your calendar feeds"),
            fields=("cohort__name", "created_at", "revoked_at"),
            actors=("created_by",),
            purpose=_("To give your calendar a private address that lists your sessions."),
            erasure=Erasure.DELETE,
            erasure_note=_("Deleted; their addresses stop working."),
        )
    )
