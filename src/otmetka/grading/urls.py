"""Period and year marks of a course; the school's marking policy."""

from django.urls import path

from otmetka.grading import debt_urls, views

app_name = "grading"
urlpatterns = [
    path("course/<int:course_id>/", views.period_marks, name="period_marks"),
    path("course/<int:course_id>/grid/", views.grid_save, name="grid_save"),
    path("mastery/<int:course_id>/", views.mastery, name="mastery"),
    path("mastery/<int:course_id>/xlsx/", views.mastery_xlsx, name="mastery_xlsx"),
    path("policy/", views.policy, name="policy"),
]
urlpatterns += debt_urls.urlpatterns
