from django.urls import path

from conduct.views import console, debrief, hotwash, notebook, observations, rooms

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
    # A team's room and the cell room, each with its poll (htmx, every second) and its messages.
    path("runs/<int:pk>/teams/<int:team_pk>/", rooms.TeamRoomView.as_view(), name="team_room"),
    path("runs/<int:pk>/teams/<int:team_pk>/live/", rooms.TeamRoomLiveView.as_view(), name="team_room_live"),
    path("runs/<int:pk>/teams/<int:team_pk>/handout/", rooms.TeamHandoutView.as_view(), name="team_handout"),
    path(
        "runs/<int:pk>/teams/<int:team_pk>/messages/<int:message_pk>/",
        rooms.TeamMessageView.as_view(),
        name="team_message",
    ),
    path(
        "runs/<int:pk>/teams/<int:team_pk>/attachments/<int:attachment_pk>/",
        rooms.TeamAttachmentView.as_view(),
        name="team_attachment",
    ),
    path("runs/<int:pk>/cell/", rooms.CellRoomView.as_view(), name="cell_room"),
    path("runs/<int:pk>/cell/live/", rooms.CellRoomLiveView.as_view(), name="cell_room_live"),
    path("runs/<int:pk>/cell/messages/<int:message_pk>/", rooms.CellMessageView.as_view(), name="cell_message"),
]
