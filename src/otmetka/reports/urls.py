"""Read-only reports: the summary gradesheets of classes and of the school, XLSX and PDF; the
deputy's monitoring of journal keeping and the director's page."""

from django.urls import path

from otmetka.reports import monitoring_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("gradesheet/<int:class_id>/", views.gradesheet, name="gradesheet"),
    path("gradesheet/<int:class_id>/xlsx/", views.gradesheet_xlsx, name="gradesheet_xlsx"),
    path("gradesheet/<int:class_id>/pdf/", views.gradesheet_pdf, name="gradesheet_pdf"),
    path("gradesheet/school/", views.school_gradesheet, name="school"),
    path("monitoring/", monitoring_views.page, name="monitoring"),
    path(
        "monitoring/lessons/<str:kind>/<int:pk>/",
        monitoring_views.lessons,
        name="monitoring_lessons",
    ),
    path("monitoring/xlsx/", monitoring_views.xlsx, name="monitoring_xlsx"),
    path("monitoring/procedures.csv", monitoring_views.procedures_csv, name="procedures_csv"),
    path("director/", monitoring_views.director, name="director"),
]
