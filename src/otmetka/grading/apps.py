from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "otmetka.grading"
    label = "grading"
