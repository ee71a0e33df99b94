"""URL map: one include per app."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.urls import include, path


def _superuser_only(request: HttpRequest) -> bool:
    """Django's admin is for the installation superuser; schools use Otmetka's own pages."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]  # on purpose: see above
# Roles live in `access`; Django's groups grant nothing to a superuser-only admin.
admin.site.unregister(Group)

urlpatterns = [
    # First: the API's requests are the hot path (the journal's saves and reads), and Django tries
    # the patterns in order, each include before the match failing with an exception (a tenth of
    # a mark save's URL resolution); no page's path begins with "api/v1/".
    path("api/v1/", include("otmetka.api.urls")),
    path("", include("otmetka.home.urls")),
    path("accounts/", include("otmetka.accounts.urls")),
    path("setup/", include("otmetka.setup.urls")),
    path("curriculum/", include("otmetka.curriculum.urls")),
    path("curriculum/ktp/", include("otmetka.journal.ktp_urls")),
    path("curriculum/timetable/", include("otmetka.journal.timetable_urls")),
    path("journal/", include("otmetka.journal.urls")),
    path("diary/", include("otmetka.diary.urls")),
    path("messages/", include("otmetka.messaging.urls")),
    path("grading/", include("otmetka.grading.urls")),
    path("reports/", include("otmetka.reports.urls")),
    path("archive/", include("otmetka.archive.urls")),
    path("compliance/", include("otmetka.compliance.urls")),
    path("people/", include("otmetka.people.urls")),
    path("portal/", include("otmetka.portal.urls")),
    path("s/", include("otmetka.portal.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("", include("otmetka.api.eljur.urls")),  # ЭлЖур's /apiv3/<method> and /api/<method>
]

handler403 = "otmetka.home.errors.forbidden"
handler404 = "otmetka.home.errors.not_found"
handler500 = "otmetka.home.errors.server_error"
