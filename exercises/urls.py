from django.urls import path

from exercises.views import attachments, authoring, cells, courses, editor, handouts, pages, schedule, teams

app_name = "exercises"

urlpatterns = [
    path("exercises/", pages.ExerciseListView.as_view(), name="exercise_list"),
    # Authoring; before the slug pattern: "new" and "import" are not exercises.
    path("exercises/new/", editor.ExerciseCreateView.as_view(), name="exercise_create"),
    path("exercises/import/", authoring.ExerciseImportView.as_view(), name="exercise_import"),
    path("exercises/<slug:slug>/", pages.ExerciseDetailView.as_view(), name="exercise_detail"),
    # The editor, one page per section.
    path("exercises/<slug:slug>/edit/", editor.ExerciseUpdateView.as_view(), name="exercise_update"),
    path("exercises/<slug:slug>/edit/phases/", editor.ExercisePhasesEditView.as_view(), name="exercise_edit_phases"),
    path("exercises/<slug:slug>/edit/teams/", editor.ExerciseTeamsEditView.as_view(), name="exercise_edit_teams"),
    path(
        "exercises/<slug:slug>/edit/cell-roles/",
        editor.ExerciseCellRolesEditView.as_view(),
        name="exercise_edit_cell_roles",
    ),
    path("exercises/<slug:slug>/edit/injects/", editor.ExerciseInjectsEditView.as_view(), name="exercise_edit_injects"),
    path("exercises/<slug:slug>/duplicate/", authoring.ExerciseDuplicateView.as_view(), name="exercise_duplicate"),
    path("exercises/<slug:slug>/export/", authoring.ExerciseExportView.as_view(), name="exercise_export"),
    path("exercises/<slug:slug>/import/", authoring.ExercisePlanImportView.as_view(), name="exercise_plan_import"),
    path("exercises/<slug:slug>/handouts/<int:pk>/", handouts.HandoutDownloadView.as_view(), name="handout_download"),
    path(
        "exercises/<slug:slug>/injects/<int:number>/attachments/",
        attachments.InjectAttachmentsView.as_view(),
        name="inject_attachments",
    ),
    path(
        "exercises/<slug:slug>/attachments/<int:pk>/",
        attachments.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    # A course's exercises in order, and its objective coverage.
    path("courses/<slug:slug>/exercises/", courses.CourseExercisesView.as_view(), name="course_exercises"),
    path("courses/<slug:slug>/coverage/", courses.CourseCoverageView.as_view(), name="course_coverage"),
    # A run: its page, its schedule, its teams.
    path("cohorts/<slug:slug>/runs/new/", schedule.ExerciseRunCreateView.as_view(), name="run_create"),
    path("runs/<int:pk>/", pages.ExerciseRunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/edit/", schedule.ExerciseRunUpdateView.as_view(), name="run_update"),
    path("runs/<int:pk>/plan/", schedule.RunPhasePlanView.as_view(), name="run_plan"),
    path("runs/<int:pk>/teams/", teams.TeamAssignmentView.as_view(), name="run_teams"),
    # Who is in the run's simulation cell; the cell room itself (/runs/<pk>/cell/) is conduct's.
    path("runs/<int:pk>/cell/staff/", cells.RunCellView.as_view(), name="run_cell"),
]
