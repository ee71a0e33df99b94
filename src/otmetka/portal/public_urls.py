from django.urls import path

from otmetka.portal import public_views as views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("r/<int:region_id>/", views.region, name="region"),
    path("<slug:key>/", views.home, name="home"),
    path("<slug:key>/news/", views.news, name="news"),
    path("<slug:key>/news/<int:pk>/", views.article, name="article"),
    path("<slug:key>/documents/", views.documents, name="documents"),
    path("<slug:key>/help/", views.help_page, name="help"),
    path("<slug:key>/files/<int:pk>/", views.public_file, name="file"),
    path("<slug:key>/feeds/news/", views.news_feed, name="news_feed"),
    path("<slug:key>/feeds/documents/", views.documents_feed, name="documents_feed"),
]
