from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.ExerciseListView.as_view(), name="exercise_list"),
    # Before the slug pattern: "runs" is not an exercise.
    path("runs/<int:pk>/", views.ExerciseRunDetailView.as_view(), name="run_detail"),
    path("<slug:slug>/", views.ExerciseDetailView.as_view(), name="exercise_detail"),
]
