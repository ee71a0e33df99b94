from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "otmetka.api"
    label = "api"
