"""The year-end archive, closing the year, the individual student records."""

from django.urls import path

from otmetka.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("make/", views.make, name="make"),
    path("<int:archive_id>/zip/", views.download, name="download"),
    path("close-year/", views.close_year, name="close_year"),
    path("records/", views.records, name="records"),
    path("records/<int:student_id>/", views.record, name="record"),
    path("records/<int:student_id>/pdf/", views.record_pdf, name="record_pdf"),
    path("records/<int:student_id>/json/", views.record_json, name="record_json"),
]
