"""The school's setup pages: reference data of every app, people and their logins."""

from django.urls import path

from otmetka.setup import office_views, people_views, settings_views, views

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
    path("settings/", settings_views.school_settings, name="settings"),
    path("status/", settings_views.status_page, name="status"),
    path("acts/", settings_views.local_acts, name="local_acts"),
    path("acts/new/", settings_views.local_act_edit, name="local_act_create"),
    path("acts/<int:pk>/", settings_views.local_act_edit, name="local_act_edit"),
    path("acts/<int:pk>/file/", settings_views.local_act_file, name="local_act_file"),
    path("region/", settings_views.region_index, name="region"),
    path(
        "region/<int:region_id>/calendar/",
        settings_views.region_calendar,
        name="region_calendar",
    ),
    path(
        "region/<int:region_id>/calendar/<int:pk>/delete/",
        settings_views.region_calendar_delete,
        name="region_calendar_delete",
    ),
    path(
        "region/<int:region_id>/calendar/load/",
        settings_views.region_calendar_load,
        name="region_calendar_load",
    ),
    path("<slug:kind>/<int:pk>/password/", people_views.password_issue, name="password_issue"),
    path("<slug:kind>/", views.setup_list, name="list"),
    path("<slug:kind>/new/", views.setup_edit, name="create"),
    path("<slug:kind>/<int:pk>/", views.setup_edit, name="edit"),
]
