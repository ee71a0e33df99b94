from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "otmetka.compliance"
    label = "compliance"
