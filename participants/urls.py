from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("me/", views.ProfileView.as_view(), name="me"),
]
