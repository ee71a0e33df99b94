from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "otmetka.journal"
    label = "journal"
