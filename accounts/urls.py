from django.urls import path

from accounts import views, views_audit, views_second_factor

app_name = "accounts"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path(
        "people/second-factor/",
        views_second_factor.StaffSecondFactorListView.as_view(),
        name="second_factor_list",
    ),
    path(
        "people/<int:pk>/second-factor/reset/",
        views_second_factor.SecondFactorResetView.as_view(),
        name="second_factor_reset",
    ),
    path("audit/", views_audit.AuditEntryListView.as_view(), name="audit_list"),
    path("audit/export/", views_audit.AuditExportView.as_view(), name="audit_export"),
    path("audit/verify/", views_audit.AuditVerifyView.as_view(), name="audit_verify"),
]
