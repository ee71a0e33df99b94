from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "otmetka.archive"
    label = "archive"
