from django.contrib import admin

from exercises.models import (
    CourseExercise,
    Exercise,
    ExerciseRun,
    Handout,
    Inject,
    Observation,
    Phase,
    RunPhase,
    RunTeam,
    TeamRole,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class TeamRoleInline(admin.StackedInline):
    model = TeamRole
    extra = 0


class HandoutInline(admin.TabularInline):
    model = Handout
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "planned_minutes", "country"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["learning_objectives"]
    search_fields = ["name"]
    inlines = [PhaseInline, TeamRoleInline, HandoutInline]


@admin.register(Inject)
class InjectAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "exercise", "kind", "channel", "phase", "minute_offset"]
    list_filter = ["kind", "channel", "exercise"]
    list_select_related = ["exercise", "phase"]
    filter_horizontal = ["target_roles", "learning_objectives"]
    search_fields = ["title", "body"]


@admin.register(CourseExercise)
class CourseExerciseAdmin(admin.ModelAdmin):
    list_display = ["course", "exercise", "order"]
    list_select_related = ["course", "exercise"]


class RunTeamInline(admin.TabularInline):
    model = RunTeam
    extra = 0


class RunPhaseInline(admin.TabularInline):
    model = RunPhase
    extra = 0


@admin.register(ExerciseRun)
class ExerciseRunAdmin(admin.ModelAdmin):
    list_display = ["exercise", "cohort", "session", "status", "lead_facilitator"]
    list_filter = ["status"]
    list_select_related = ["exercise", "cohort", "session", "lead_facilitator"]
    inlines = [RunPhaseInline, RunTeamInline]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["run", "author", "observed_at", "team", "rating"]
    list_select_related = ["run__exercise", "run__cohort", "author", "team__team_role"]
    list_filter = ["rating"]
