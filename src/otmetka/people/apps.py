from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "otmetka.people"
    label = "people"
