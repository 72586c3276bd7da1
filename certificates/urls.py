from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    # A cohort's certificates: staff pages.
    path("cohorts/<slug:slug>/certificates/", views.CohortCertificatesView.as_view(), name="cohort_certificates"),
    path("cohorts/<slug:slug>/certificates/policy/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("cohorts/<slug:slug>/certificates/issue/", views.CohortIssueView.as_view(), name="cohort_issue"),
    path("cohorts/<slug:slug>/certificates/zip/", views.CohortZipView.as_view(), name="cohort_zip"),
    path(
        "cohorts/<slug:slug>/certificates/overrides/<int:participant_pk>/",
        views.OverrideView.as_view(),
        name="override",
    ),
    path("certificates/overrides/<int:pk>/delete/", views.OverrideDeleteView.as_view(), name="override_delete"),
    # Public verification (no sign-in, rate-limited).
    path("certificates/verify/", views.verify_form, name="verify_form"),
    path("certificates/verify/<str:code>/", views.verify, name="verify"),
    # One certificate.
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/download/", views.CertificateDownloadView.as_view(), name="download"),
    path("certificates/<int:pk>/revoke/", views.CertificateRevokeView.as_view(), name="revoke"),
    path("certificates/<int:pk>/reissue/", views.CertificateReissueView.as_view(), name="reissue"),
    path("certificates/<int:pk>/render/", views.CertificateRenderView.as_view(), name="render"),
]
