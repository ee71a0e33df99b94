from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "otmetka.compliance"
    label = "compliance"

    def ready(self) -> None:
        from otmetka.compliance import hooks
        from otmetka.compliance.grid_due import grid_due_words
        from otmetka.journal.grid import due_words_register

        hooks.connect()
        due_words_register(grid_due_words)
