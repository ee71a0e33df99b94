"""Helpers of the personal data tests."""

from typing import Any

from tests.world import World


def pe_course(w: World) -> Any:
    """Physical education in 7А, taught by the 7Б teacher (the PE teacher of 7А)."""
    from otmetka.curriculum.models import Course, Subject

    subject, _ = Subject.objects.get_or_create(school=w.school, name="Физическая культура")
    course, made = Course.objects.get_or_create(
        school=w.school, year=w.year, subject=subject, school_class=w.class_7a
    )
    if made:
        course.teachers.add(w.user("teacher_7b"))
    return course
