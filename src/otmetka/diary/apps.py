from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "otmetka.diary"
    label = "diary"
