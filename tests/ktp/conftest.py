"""КТП test helpers: sample files, uploads, counts a refused import must leave unchanged."""

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from otmetka.audit.models import Event
from otmetka.curriculum.models import PlannedTopic
from otmetka.journal.models import Lesson

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ktp"


def sample(name: str) -> SimpleUploadedFile:
    """A committed sample file as an upload."""
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


def xlsx(rows: list[list[Any]], name: str = "ktp.xlsx") -> SimpleUploadedFile:
    """An XLSX upload built from rows (the first sheet)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(text: str, encoding: str = "utf-8", name: str = "ktp.csv") -> SimpleUploadedFile:
    """A CSV upload of `text` in `encoding`."""
    return SimpleUploadedFile(name, text.encode(encoding))


def counts() -> tuple[int, int]:
    """Topics and audit events: a refused write leaves both unchanged."""
    return PlannedTopic.objects.count(), Event.objects.count()


def lesson(course: Any, day: datetime.date, topic: Any = None, title: str = "Тема") -> Lesson:
    """A held lesson of the course pointing to a planned topic."""
    return Lesson.objects.create(
        school=course.school, course=course, date=day, topic=title, planned_topic=topic
    )


@pytest.fixture
def make_topics() -> Callable[..., list[PlannedTopic]]:
    """Creates a plan of n topics for a course (weekly dates from 1 September)."""
    from otmetka.curriculum.models import ThematicPlan

    def make(course: Any, n: int) -> list[PlannedTopic]:
        plan, _ = ThematicPlan.objects.get_or_create(course=course, school=course.school)
        start = datetime.date(2026, 9, 1)
        return PlannedTopic.objects.bulk_create(
            PlannedTopic(
                school=course.school,
                plan=plan,
                position=i,
                title=f"Тема {i}",
                hours=1,
                planned_date=start + datetime.timedelta(days=7 * (i - 1)) if i <= 30 else None,
            )
            for i in range(1, n + 1)
        )

    return make
