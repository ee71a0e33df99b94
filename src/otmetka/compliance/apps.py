from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "otmetka.compliance"
    label = "compliance"

    def ready(self) -> None:
        from otmetka.compliance.grid_due import grid_due_words
        from otmetka.journal.grid import due_words_register

        due_words_register(grid_due_words)
