"""A student's personal data: consents, data freshness, health groups, the log of reads."""

from django.urls import path

from otmetka.people import views

app_name = "people"
urlpatterns = [
    path("", views.index, name="index"),
    path("class/<int:pk>/", views.class_page, name="class"),
    path("student/<int:pk>/", views.student_page, name="student"),
    path("student/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("student/<int:pk>/confirm/", views.data_confirm, name="confirm"),
    path("student/<int:pk>/health/", views.health_add, name="health_add"),
    path("consent/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consent/<int:pk>/file/", views.consent_file, name="consent_file"),
    path("reads/", views.reads_page, name="reads"),
]
