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
    path("class/<int:class_id>/summary.xlsx", views.class_summary_xlsx, name="summary_xlsx"),
    path("class/<int:class_id>/attendance/", views.class_attendance, name="attendance"),
    path("class/<int:class_id>/attendance/reason/", views.absence_reason, name="reason"),
    path("class/<int:class_id>/slips/", views.class_slips, name="slips"),
]
