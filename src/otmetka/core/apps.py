from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "otmetka.core"
    label = "core"
