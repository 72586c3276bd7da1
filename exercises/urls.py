from django.urls import path

from exercises.views import pages

app_name = "exercises"

urlpatterns = [
    path("", pages.ExerciseListView.as_view(), name="exercise_list"),
    # Before the slug pattern: "runs" is not an exercise.
    path("runs/<int:pk>/", pages.ExerciseRunDetailView.as_view(), name="run_detail"),
    path("<slug:slug>/", pages.ExerciseDetailView.as_view(), name="exercise_detail"),
]
