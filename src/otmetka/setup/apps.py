from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "otmetka.setup"
    label = "setup"
