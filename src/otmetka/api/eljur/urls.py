"""ЭлЖур's URLs: `/apiv3/<method>` and the older `/api/<method>`, with or without a slash."""

from django.urls import re_path

from otmetka.api.eljur.views import call

urlpatterns = [
    re_path(r"^apiv3/(?P<method>[^/]{1,200})/?$", call, name="eljur_v3"),
    re_path(r"^api/(?P<method>(?!v1/?$)[^/]{1,200})/?$", call, name="eljur"),
]
