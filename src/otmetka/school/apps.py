from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "otmetka.school"
    label = "school"
