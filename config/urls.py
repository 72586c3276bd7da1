from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import SecondFactorResetAPIView, TokenDetailView, TokenListView, TokenLoginView
from accounts.api_audit import AuditEntryListAPIView, AuditVerifyAPIView
from accounts.views import language_switch
from core.views import healthz
from portal.views.dashboard import DashboardView

# The admin signs people in through allauth's page, so allauth's rate limits cover it too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    # Pages by resource (/cohorts/<slug>/…, /runs/<id>/…), whichever app serves them; trainings
    # comes first so that its fixed words ("courses/new/") win over portal's slugs.
    path("", DashboardView.as_view(), name="dashboard"),
    path("", include("trainings.urls")),
    path("", include("participants.urls")),
    path("", include("exercises.urls")),
    path("", include("conduct.urls")),
    path("", include("reflections.urls")),
    path("", include("certificates.urls")),
    path("", include("reports.urls")),
    path("", include("reports.urls_actions")),
    path("", include("portal.urls")),
    path("", include("jobs.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("config.legacy_urls")),
    # The language switcher's form (templates/includes/_language_switcher.html) posts here.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/v1/auth/token/", TokenLoginView.as_view(), name="api_token"),
    path("api/v1/auth/tokens/", TokenListView.as_view(), name="api_tokens"),
    path("api/v1/auth/tokens/<str:key>/", TokenDetailView.as_view(), name="api_token_detail"),
    path(
        "api/v1/users/<int:pk>/second-factor/reset/",
        SecondFactorResetAPIView.as_view(),
        name="api_second_factor_reset",
    ),
    path("api/v1/audit/", AuditEntryListAPIView.as_view(), name="api_audit"),
    path("api/v1/audit/verify/", AuditVerifyAPIView.as_view(), name="api_audit_verify"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads its start-up script as a file: the Content-Security-Policy allows no inline script.
    # GET only: its HTML renderer has no page for an OPTIONS answer (500).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", http_method_names=["get", "head"]),
        name="api_docs",
    ),
    path("healthz", healthz, name="healthz"),
]

# /api/ addresses that match no route answer JSON like the API's own 404s.
handler404 = "core.api.not_found"
