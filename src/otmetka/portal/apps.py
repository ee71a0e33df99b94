from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "otmetka.portal"
    label = "portal"
