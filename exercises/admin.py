from django.contrib import admin

from exercises.models import (
    CourseExercise,
    Exercise,
    ExerciseRun,
    Handout,
    Inject,
    Phase,
    RunCellMember,
    RunPhase,
    RunTeam,
    TeamMembership,
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


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "team", "run"]
    list_select_related = [
        "enrolment__participant__user",
        "enrolment__cohort",
        "team__team_role",
        "run__exercise",
        "run__cohort",
    ]


@admin.register(RunCellMember)
class RunCellMemberAdmin(admin.ModelAdmin):
    """Places in runs' cells; the run's cell page (exercises:run_cell) is where staff manage them."""

    list_display = ["user", "run", "kind", "guest", "invited_by"]
    list_filter = ["kind", "guest"]
    list_select_related = ["user", "run__exercise", "run__cohort", "invited_by"]
    raw_id_fields = ["run", "user", "invited_by"]
    filter_horizontal = ["cell_roles"]
    search_fields = ["user__email", "user__last_name"]
