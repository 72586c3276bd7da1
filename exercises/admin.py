from django.contrib import admin

from exercises.models import (
    CellRole,
    CourseExercise,
    Exercise,
    ExerciseRun,
    Handout,
    Inject,
    InjectAttachment,
    Phase,
    RunCellMember,
    RunPhase,
    RunTeam,
    TeamMembership,
    TeamPosition,
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


class CellRoleInline(admin.TabularInline):
    model = CellRole
    extra = 0


class TeamPositionInline(admin.TabularInline):
    model = TeamPosition
    extra = 0


class InjectAttachmentInline(admin.TabularInline):
    # Files uploaded here skip the upload rules of the authoring page (core.uploads): staff only.
    model = InjectAttachment
    extra = 0


@admin.register(TeamRole)
class TeamRoleAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "exercise", "mixed", "agency_kind", "planned_size"]
    list_filter = ["mixed", "exercise"]
    list_select_related = ["exercise"]
    search_fields = ["name"]
    inlines = [TeamPositionInline]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "planned_minutes", "country"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["learning_objectives"]
    search_fields = ["name"]
    inlines = [PhaseInline, TeamRoleInline, CellRoleInline, HandoutInline]


@admin.register(Inject)
class InjectAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "exercise", "kind", "channel", "phase", "minute_offset"]
    list_filter = ["kind", "channel", "exercise"]
    list_select_related = ["exercise", "phase"]
    filter_horizontal = ["target_roles", "learning_objectives"]
    search_fields = ["title", "body"]
    inlines = [InjectAttachmentInline]


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
