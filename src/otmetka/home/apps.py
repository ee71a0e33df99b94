from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "otmetka.home"
    label = "home"
