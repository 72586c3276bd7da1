from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("runs/<int:pk>/report/", views.RunReportView.as_view(), name="run_report"),
    path("runs/<int:pk>/report/build/", views.RunReportBuildView.as_view(), name="run_report_build"),
    path(
        "runs/<int:pk>/report/export/<str:what>.<str:fmt>",
        views.RunReportExportView.as_view(),
        name="run_report_export",
    ),
    path("runs/<int:pk>/report.json", views.RunReportJsonView.as_view(), name="run_report_json"),
    path("runs/<int:pk>/report/pdf/<uuid:job>/", views.RunReportPdfView.as_view(), name="run_report_pdf"),
    path("cohorts/<slug:slug>/report/", views.CohortReportView.as_view(), name="cohort_report"),
    path("cohorts/<slug:slug>/report/build/", views.CohortReportBuildView.as_view(), name="cohort_report_build"),
    path("cohorts/<slug:slug>/report/pdf/<uuid:job>/", views.CohortReportPdfView.as_view(), name="cohort_report_pdf"),
    path("reports/shared/<str:token>/", views.shared_pdf, name="shared_pdf"),
]
