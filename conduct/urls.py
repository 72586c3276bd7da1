from django.urls import path

from conduct.views import console

app_name = "conduct"

urlpatterns = [
    path("runs/<int:pk>/console/", console.RunConsoleView.as_view(), name="run_console"),
]
