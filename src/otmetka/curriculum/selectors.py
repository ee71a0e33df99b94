"""Reads on the curriculum's reference data."""

from django.db.models import QuerySet

from otmetka.curriculum.models import Subject


def subject_rows() -> QuerySet[Subject]:
    """Subjects in the order of the school's lists."""
    return Subject.objects.order_by("position", "name")
