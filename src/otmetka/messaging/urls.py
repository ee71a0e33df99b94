"""Messaging pages under /messages/."""

from django.urls import path

from otmetka.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("new/", views.compose, name="compose"),
    path("<int:thread_id>/", views.thread, name="thread"),
    path("<int:thread_id>/reply/", views.reply, name="reply"),
    path("<int:thread_id>/receipts/", views.receipts, name="receipts"),
    path("<int:thread_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:thread_id>/delete/", views.hide, name="hide"),
    path("<int:thread_id>/report/", views.report, name="report"),
    path("reported/", views.reported, name="reported"),
    path("files/<int:file_id>/", views.attachment, name="file"),
    path("settings/", views.mail_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
