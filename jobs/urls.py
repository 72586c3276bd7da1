from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<uuid:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<uuid:pk>/progress/", views.JobProgressView.as_view(), name="job_progress"),
    path("jobs/<uuid:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
]
