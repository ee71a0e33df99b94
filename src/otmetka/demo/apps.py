from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "otmetka.demo"
    label = "demo"
