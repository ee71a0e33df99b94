from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "otmetka.access"
    label = "access"
