"""JSON API v1 (django-ninja); the ЭлЖур-compatible layer will live beside it in api/eljur/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
