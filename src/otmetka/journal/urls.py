"""The journal pages: the user's courses and the grid of one course."""

from django.urls import path

from otmetka.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("<int:course_id>/", views.grid_page, name="grid"),
    path("files/<int:file_id>/", views.homework_file_download, name="file"),
]
