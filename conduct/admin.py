from django.contrib import admin

from conduct.models import Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["run", "author", "observed_at", "team", "rating"]
    list_select_related = ["run__exercise", "run__cohort", "author", "team__team_role"]
    list_filter = ["rating"]
