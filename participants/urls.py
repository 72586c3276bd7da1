from django.urls import path

from participants.views import pages

app_name = "participants"

urlpatterns = [
    path("me/", pages.ProfileView.as_view(), name="me"),
]
