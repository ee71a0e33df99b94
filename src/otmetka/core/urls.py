from django.urls import path

from otmetka.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("school/switch/", views.school_switch, name="school_switch"),
]
