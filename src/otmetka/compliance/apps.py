from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "otmetka.compliance"
    label = "compliance"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, pre_delete

        from otmetka.compliance.grid_due import grid_due_words
        from otmetka.compliance.signals import course_days_note, course_days_refresh
        from otmetka.curriculum.models import Course
        from otmetka.journal.grid import due_words_register

        due_words_register(grid_due_words)
        # A deleted course's days: the school-day sums follow at once (see compliance.signals).
        pre_delete.connect(course_days_note, sender=Course, dispatch_uid="compliance_course_note")
        post_delete.connect(
            course_days_refresh, sender=Course, dispatch_uid="compliance_course_refresh"
        )
