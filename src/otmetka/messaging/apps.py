from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "otmetka.messaging"
    label = "messaging"
