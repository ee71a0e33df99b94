from django.urls import path

from otmetka.school import views

app_name = "school"
urlpatterns = [
    path("setup/", views.setup_home, name="setup"),
    path("setup/<slug:kind>/", views.setup_list, name="setup_list"),
    path("setup/<slug:kind>/new/", views.setup_edit, name="setup_create"),
    path("setup/<slug:kind>/<int:pk>/", views.setup_edit, name="setup_edit"),
]
