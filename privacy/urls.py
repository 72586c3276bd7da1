from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("people/<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
]
