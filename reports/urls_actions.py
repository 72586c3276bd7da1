"""Pages of the improvement plan and the programme view (included from config/urls.py)."""

from django.urls import path

from reports import views_actions, views_programme

app_name = "reports_actions"

urlpatterns = [
    path("runs/<int:pk>/actions/", views_actions.RunActionsView.as_view(), name="run_actions"),
    path("actions/", views_actions.ActionListView.as_view(), name="action_list"),
    path("actions/export/", views_actions.ActionExportView.as_view(), name="action_export"),
    path("actions/<int:pk>/", views_actions.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", views_actions.ActionEditView.as_view(), name="action_edit"),
    path("programme/", views_programme.ProgrammeView.as_view(), name="programme"),
    path("programme/export/", views_programme.ProgrammeExportView.as_view(), name="programme_export"),
]
