from django.urls import path

from otmetka.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("devices/", views.devices_view, name="devices"),
    path("devices/<str:token_id>/revoke/", views.device_revoke_view, name="device_revoke"),
    path("devices/<str:token_id>/write/", views.device_write_view, name="device_write"),
]
