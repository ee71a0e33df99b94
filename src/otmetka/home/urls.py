from django.urls import path

from otmetka.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("school/switch/", views.school_switch, name="school_switch"),
    path("favicon.ico", views.favicon, name="favicon"),
]
