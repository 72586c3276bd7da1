"""Plain API routes of certificates (added to config/api_router.py's urlpatterns, before the router's)."""

from django.urls import path

from certificates.api.views import CertificateVerifyView

urlpatterns = [
    path("certificates/verify/<str:code>/", CertificateVerifyView.as_view(), name="certificate-verify"),
]
