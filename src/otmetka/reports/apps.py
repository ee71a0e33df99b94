from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "otmetka.reports"
    label = "reports"
