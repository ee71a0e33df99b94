from django.urls import path

from otmetka.people import views

app_name = "people"
urlpatterns = [
    path(
        "student/<int:pk>/transfer/",
        views.student_action,
        {"action": "transfer"},
        name="student_transfer",
    ),
    path(
        "student/<int:pk>/depart/",
        views.student_action,
        {"action": "depart"},
        name="student_depart",
    ),
    path(
        "student/<int:pk>/login/",
        views.student_action,
        {"action": "login"},
        name="student_login",
    ),
    path("<slug:kind>/<int:pk>/password/", views.password_issue, name="password_issue"),
]
