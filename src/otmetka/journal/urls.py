"""The journal pages: the user's courses, the grid of one course, and the lesson schedule's
one-off changes and substitutions."""

from django.urls import path

from otmetka.journal import schedule_views, views

app_name = "journal"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("<int:course_id>/", views.grid_page, name="grid"),
    path("lessons/extra/", schedule_views.lesson_extra, name="lesson_extra"),
    path("lessons/<int:pk>/", schedule_views.lesson_change, name="lesson"),
    path("substitutions/", schedule_views.substitutions, name="substitutions"),
    path("substitutions/month/", schedule_views.substitutions_month, name="substitutions_month"),
    path("files/<int:file_id>/", views.homework_file_download, name="file"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
]
