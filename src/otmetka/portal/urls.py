from django.urls import path

from otmetka.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/<slug:kind>/", views.create, name="create"),
    path("<int:pk>/", views.item_page, name="item"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_item, name="return"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:file_id>/delete/", views.file_remove, name="file_remove"),
    path("files/<int:file_id>/", views.file_download, name="file"),
    path("site/", views.site, name="site"),
    path("site/help/", views.help_add, name="help_add"),
    path("site/help/<int:pk>/delete/", views.help_remove, name="help_remove"),
    path("submitters/", views.submitters, name="submitters"),
]
