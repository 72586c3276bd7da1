from django.urls import path

from privacy import views, views_export, views_notice

app_name = "privacy"

urlpatterns = [
    path("people/<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
    path("account/data/", views_export.MyDataView.as_view(), name="my_data"),
    path("people/<int:pk>/data/", views_export.PersonDataView.as_view(), name="person_data"),
    path("privacy/", views_notice.PrivacyNoticeView.as_view(), name="notice"),
]
