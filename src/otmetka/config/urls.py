"""URL map: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("otmetka.core.urls")),
    path("accounts/", include("otmetka.accounts.urls")),
    path("school/", include("otmetka.school.urls")),
    path("school/setup/", include("otmetka.people.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
