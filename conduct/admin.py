from typing import Any

from django.contrib import admin

from conduct.models import Observation, RunEvent


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["run", "author", "observed_at", "team", "rating"]
    list_select_related = ["run__exercise", "run__cohort", "author", "team__team_role"]
    list_filter = ["rating"]


@admin.register(RunEvent)
class RunEventAdmin(admin.ModelAdmin):
    """Read only: the clock's record is written by conduct.services alone."""

    list_display = ["run", "kind", "at", "phase", "minutes", "by"]
    list_select_related = ["run__exercise", "run__cohort", "phase", "by"]
    list_filter = ["kind"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
