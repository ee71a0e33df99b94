"""The КТП pages (mounted at /curriculum/ktp/): journal's, as the plan page shows the progress
over the lessons; the editing pages are curriculum's."""

from django.urls import path

from otmetka.curriculum import ktp_views as views
from otmetka.journal import ktp_views as plan_views

app_name = "ktp"
urlpatterns = [
    path("<int:course_id>/", plan_views.plan_page, name="plan"),
    path("<int:course_id>/print/", plan_views.plan_print, name="print"),
    path("<int:course_id>/import/", views.plan_import_page, name="import"),
    path("<int:course_id>/copy/", views.plan_copy_page, name="copy"),
    path("<int:course_id>/topic/add/", views.topic_add, name="topic_add"),
    path("<int:course_id>/topic/<int:topic_id>/", views.topic_edit, name="topic_edit"),
    path("<int:course_id>/topic/<int:topic_id>/move/", views.topic_move, name="topic_move"),
    path("<int:course_id>/topic/<int:topic_id>/delete/", views.topic_delete, name="topic_delete"),
]
