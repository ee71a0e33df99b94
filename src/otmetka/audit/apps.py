from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "otmetka.audit"
    label = "audit"
