from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "otmetka.compliance"
    label = "compliance"

    def ready(self) -> None:
        from otmetka.compliance import hooks

        hooks.connect()
