"""Staff login and logout, under /akun/."""

from django.urls import URLPattern, path

from geo_klik.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("masuk/", views.StaffLoginView.as_view(), name="login"),
    path("keluar/", views.StaffLogoutView.as_view(), name="logout"),
]
