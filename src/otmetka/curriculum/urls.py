from django.urls import path

from otmetka.curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("plan/", views.study_plan, name="plan"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_edit, name="course_create"),
    path("courses/<int:pk>/", views.course_edit, name="course_edit"),
    path("load/", views.load_report, name="load"),
]
