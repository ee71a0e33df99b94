"""Read-only reports: the summary gradesheets of classes and of the school, XLSX and PDF."""

from django.urls import path

from otmetka.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("gradesheet/<int:class_id>/", views.gradesheet, name="gradesheet"),
    path("gradesheet/<int:class_id>/xlsx/", views.gradesheet_xlsx, name="gradesheet_xlsx"),
    path("gradesheet/<int:class_id>/pdf/", views.gradesheet_pdf, name="gradesheet_pdf"),
    path("gradesheet/school/", views.school_gradesheet, name="school"),
]
