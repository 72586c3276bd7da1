from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/second-factor/", views.StaffSecondFactorListView.as_view(), name="second_factor_list"),
    path("people/<int:pk>/second-factor/reset/", views.SecondFactorResetView.as_view(), name="second_factor_reset"),
]
