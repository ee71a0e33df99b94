"""Pages of the deadline engine: rules, teachers' absences, days without PC, a teacher's gaps,
the region/district dashboard."""

from django.urls import path

from otmetka.compliance import views

app_name = "compliance"
urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("absences/", views.absences, name="absences"),
    path("absences/<int:absence_id>/cancel/", views.absence_cancel, name="absence_cancel"),
    path("no-pc/", views.no_pc, name="no_pc"),
    path("no-pc/<int:declaration_id>/revoke/", views.no_pc_revoke, name="no_pc_revoke"),
    path("gaps/", views.gaps, name="gaps"),
    path("region/", views.region, name="region"),
    path("region/<int:school_id>/", views.region_school, name="region_school"),
]
