from django.urls import path

from exercises.views import authoring, pages, schedule

app_name = "exercises"

urlpatterns = [
    path("", pages.ExerciseListView.as_view(), name="exercise_list"),
    # Authoring; before the slug pattern: "new", "import" and "courses" are not exercises.
    path("new/", authoring.ExerciseCreateView.as_view(), name="exercise_create"),
    path("import/", authoring.ExerciseImportView.as_view(), name="exercise_import"),
    path("courses/<slug:slug>/exercises/", authoring.CourseExercisesView.as_view(), name="course_exercises"),
    path("courses/<slug:slug>/coverage/", authoring.CourseCoverageView.as_view(), name="course_coverage"),
    path("<slug:slug>/edit/", authoring.ExerciseUpdateView.as_view(), name="exercise_update"),
    path("<slug:slug>/duplicate/", authoring.ExerciseDuplicateView.as_view(), name="exercise_duplicate"),
    path("<slug:slug>/export/", authoring.exercise_export, name="exercise_export"),
    path("<slug:slug>/import/", authoring.ExercisePlanImportView.as_view(), name="exercise_plan_import"),
    # Before the slug pattern: "runs" is not an exercise.
    path("runs/<int:pk>/", pages.ExerciseRunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/edit/", schedule.ExerciseRunUpdateView.as_view(), name="run_update"),
    path("cohorts/<slug:slug>/runs/new/", schedule.ExerciseRunCreateView.as_view(), name="run_create"),
    path("<slug:slug>/", pages.ExerciseDetailView.as_view(), name="exercise_detail"),
]
