from django.urls import path

from conduct.views import console, notebook, observations

app_name = "conduct"

urlpatterns = [
    path("runs/<int:pk>/console/", console.RunConsoleView.as_view(), name="run_console"),
    path(
        "runs/<int:pk>/observations/<int:observation_pk>/edit/",
        observations.ObservationEditView.as_view(),
        name="observation_edit",
    ),
    path("runs/<int:pk>/notebook/", notebook.RunNotebookView.as_view(), name="run_notebook"),
]
