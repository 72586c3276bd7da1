from django.urls import path

from privacy import views_notice

app_name = "privacy"

urlpatterns = [
    path("privacy/", views_notice.PrivacyNoticeView.as_view(), name="notice"),
]
