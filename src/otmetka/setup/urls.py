"""The school's setup pages: reference data of every app, people and their logins."""

from django.urls import path

from otmetka.setup import office_views, people_views, views

app_name = "setup"
urlpatterns = [
    path("", views.setup_home, name="home"),
    path("credentials/", office_views.credentials_bulk, name="credentials_bulk"),
    path("student/import/", office_views.people_import, name="people_import"),
    path(
        "student/<int:pk>/transfer/",
        people_views.student_action,
        {"action": "transfer"},
        name="student_transfer",
    ),
    path(
        "student/<int:pk>/depart/",
        people_views.student_action,
        {"action": "depart"},
        name="student_depart",
    ),
    path(
        "student/<int:pk>/login/",
        people_views.student_action,
        {"action": "login"},
        name="student_login",
    ),
    path("<slug:kind>/<int:pk>/password/", people_views.password_issue, name="password_issue"),
    path("<slug:kind>/", views.setup_list, name="list"),
    path("<slug:kind>/new/", views.setup_edit, name="create"),
    path("<slug:kind>/<int:pk>/", views.setup_edit, name="edit"),
]
