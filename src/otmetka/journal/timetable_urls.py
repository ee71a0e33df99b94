"""The timetable pages (mounted at /curriculum/timetable/): journal's, as saving them regenerates
lessons."""

from django.urls import path

from otmetka.journal import timetable_views as views

app_name = "timetable"
urlpatterns = [
    path("", views.timetable_index, name="index"),
    path("<int:class_pk>/", views.timetable_grid, name="grid"),
]
