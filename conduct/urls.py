from django.urls import path

from conduct.views import console, debrief, hotwash, notebook, observations

app_name = "conduct"

urlpatterns = [
    path("runs/<int:pk>/console/", console.RunConsoleView.as_view(), name="run_console"),
    path(
        "runs/<int:pk>/observations/<int:observation_pk>/edit/",
        observations.ObservationEditView.as_view(),
        name="observation_edit",
    ),
    path("runs/<int:pk>/notebook/", notebook.RunNotebookView.as_view(), name="run_notebook"),
    # The debrief: the timeline, the run summary, the hot-wash board (staff only).
    path("runs/<int:pk>/timeline/", debrief.RunTimelineView.as_view(), name="run_timeline"),
    path("runs/<int:pk>/summary/", debrief.RunSummaryView.as_view(), name="run_summary"),
    path("runs/<int:pk>/hotwash/", hotwash.RunHotwashView.as_view(), name="run_hotwash"),
    path("runs/<int:pk>/hotwash/<int:item_pk>/edit/", hotwash.HotwashItemEditView.as_view(), name="hotwash_edit"),
]
