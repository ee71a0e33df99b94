from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "otmetka.curriculum"
    label = "curriculum"
