"""JSON API v1 (django-ninja); the ЭлЖур-compatible layer will live beside it in api/eljur/."""

from django.urls import path

from otmetka.api.api import api

urlpatterns = [path("", api.urls)]
