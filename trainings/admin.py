from django.contrib import admin

from trainings.models import Agency, Cohort, Course, LearningObjective, Session


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]


@admin.register(LearningObjective)
class LearningObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "order", "is_active"]
    list_filter = ["is_active", "category"]
    search_fields = ["code", "title"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "language"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["learning_objectives"]
    search_fields = ["title"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "start_date", "end_date", "delivery_mode", "capacity"]
    list_filter = ["delivery_mode", "course"]
    list_select_related = ["course"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators", "facilitators"]
    search_fields = ["name"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "starts_at", "ends_at", "room", "status"]
    list_filter = ["status", "cohort"]
    list_select_related = ["cohort"]
    search_fields = ["title"]
