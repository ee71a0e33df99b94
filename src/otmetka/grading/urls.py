"""Period and year marks of a course; the school's marking policy."""

from django.urls import path

from otmetka.grading import debt_urls, views

app_name = "grading"
urlpatterns = [
    path("course/<int:course_id>/", views.period_marks, name="period_marks"),
    path("policy/", views.policy, name="policy"),
]
urlpatterns += debt_urls.urlpatterns
