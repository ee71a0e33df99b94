"""The diary (students and guardians) and the homeroom teacher's class pages."""

from django.urls import path

from otmetka.diary import views

app_name = "diary"
urlpatterns = [
    path("", views.week, name="week"),
    path("marks/", views.marks, name="marks"),
    path("homework/", views.homework, name="homework"),
    path("timetable/", views.timetable, name="timetable"),
    path("child/", views.child_switch, name="child"),
    path("files/<int:file_id>/", views.file_download, name="file"),
    path("class/<int:class_id>/", views.class_page, name="class"),
    path("class/<int:class_id>/summary/", views.class_summary, name="summary"),
]
