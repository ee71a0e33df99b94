"""Helpers for home page tests: grow a class of the world, read the rendered blocks."""

import datetime
import re

from otmetka.accounts.models import User
from otmetka.people.models import Guardian, Student
from otmetka.school.models import Enrollment, SchoolClass

SECTION = re.compile(r'<section class="card" data-section="(\w+)">(.*?)</section>', re.S)


def sections(html: str) -> dict[str, str]:
    """data-section key → the block's HTML."""
    return {key: body for key, body in SECTION.findall(html)}


def fill_class(school_class: SchoolClass, size: int) -> None:
    """Enroll new students (each with one guardian login) until the class has `size` today."""
    today = datetime.date(2026, 11, 18)
    current = Enrollment.objects.filter(school_class=school_class, start__lte=today).count()
    for n in range(current, size):
        student = Student.objects.create(
            school=school_class.school, last_name=f"Ученик{n:02d}", first_name="Пётр"
        )
        Enrollment.objects.create(
            school=school_class.school,
            student=student,
            school_class=school_class,
            start=datetime.date(2026, 9, 1),
        )
        parent = User.objects.create(username=f"parent_{school_class.pk}_{n}", last_name="Родитель")
        Guardian.objects.create(school=school_class.school, student=student, user=parent)
