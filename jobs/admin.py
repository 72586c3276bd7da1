from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through jobs.services (a run, the sweep, the purge)."""

    list_display = ["kind", "state", "progress_done", "progress_total", "requested_by", "requested_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "scope", "dedupe_key", "requested_by__email"]
    date_hierarchy = "requested_at"
    list_select_related = ["requested_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
