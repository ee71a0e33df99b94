"""The grid JSON (with its period-mark column) is the same as the code before the grid's hot path
was cut (issue 10, `grid10`) answered: a world with every part of the grid (substitution, homework
file, КТП topics, arrivals and departures, deleted and commented marks, lateness, a period mark,
missing entries with their deadline words, a group course) read by four personas and compared
with `fixtures/grid_reference.json`, which main at 3f12b6f wrote. Ids differ between databases
(PostgreSQL's sequences do not roll back), so they are replaced by labels first; everything else
— values, key order, texts — is compared as it is."""

import datetime
import json
import re
from pathlib import Path
from typing import Any

from django.test import Client

from otmetka.curriculum.models import Course, CourseMember, PlannedTopic, ThematicPlan
from otmetka.grading.models import PeriodMark
from otmetka.journal.models import Absence, HomeworkFile, Lesson, Mark, Substitution
from otmetka.journal.selectors import default_period
from otmetka.school.models import Enrollment
from tests.journal.helpers import code, kind, lessons_make, students_add
from tests.world import World

REFERENCE = Path(__file__).parent / "fixtures" / "grid_reference.json"
READERS = (
    ("teacher_7a_math", "7a"),
    ("homeroom_7a", "7a"),
    ("deputy", "7a"),
    ("teacher_7b", "7a"),  # a substitute of one of its lessons: writes in that one only
    ("teacher_7b", "g"),
)


def _world(world: World) -> dict[str, Course]:
    course, teacher = world.course_7a_math, world.user("teacher_7a_math")
    pupils = [world.pupil_7a, *students_add(world, world.class_7a, 3)]
    students_add(world, world.class_7a, 1, start=datetime.date(2026, 11, 12), prefix="Новый")
    Enrollment.objects.filter(student=pupils[3]).update(end=datetime.date(2026, 11, 11))
    lessons = lessons_make(course, 9, start=datetime.date(2026, 11, 5))
    Lesson.objects.filter(pk=lessons[1].pk).update(topic="Дроби", homework="№ 5")
    Lesson.objects.filter(pk=lessons[2].pk).update(status=Lesson.Status.CANCELLED)
    Lesson.objects.filter(pk=lessons[3].pk).update(homework_minutes=20, topic="Проценты")
    Substitution.objects.create(
        school=world.school, lesson=lessons[4], substitute=world.user("teacher_7b"),
        created_by=world.user("deputy"),
    )  # fmt: skip
    HomeworkFile.objects.create(
        school=world.school, lesson=lessons[1], file="homework/x.pdf", name="x.pdf", size=1,
        uploaded_by=teacher,
    )  # fmt: skip
    plan = ThematicPlan.objects.create(school=world.school, course=course)
    for position, (title, hours) in enumerate((("Степени", 2), ("Одночлены", 1)), start=1):
        PlannedTopic.objects.create(
            school=world.school, plan=plan, position=position, title=title, hours=hours
        )
    answer, test = kind(world), kind(world, "Контрольная работа")
    for i, (lesson, pupil, value, k, comment) in enumerate(
        [
            (lessons[0], pupils[0], "5", answer, ""),
            (lessons[0], pupils[0], "3", test, "устно"),
            (lessons[0], pupils[1], "4", test, ""),
            (lessons[1], pupils[1], "2", answer, ""),
            (lessons[1], pupils[2], "н/а", answer, ""),
            (lessons[3], pupils[3], "5", answer, ""),
            (lessons[5], pupils[0], "4", test, ""),
            (lessons[5], pupils[2], "5", answer, "удалена"),
        ]
    ):
        Mark.objects.create(
            school=world.school, lesson=lesson, student=pupil, value=value, kind=k,
            comment=comment, created_by=teacher, is_deleted=comment == "удалена",
        )  # fmt: skip
        Mark.objects.filter(lesson=lesson, student=pupil, value=value).update(
            created_at=datetime.datetime(2026, 11, 18, 9, i, tzinfo=datetime.UTC)
        )
    for lesson, pupil, value, minutes in [
        (lessons[0], pupils[2], "н", None),
        (lessons[1], pupils[0], "оп", 7),
        (lessons[5], pupils[1], "б", None),
    ]:
        Absence.objects.create(
            school=world.school, lesson=lesson, student=pupil, code=code(world, value),
            minutes_late=minutes, created_by=teacher,
        )  # fmt: skip
    period = default_period(course)
    PeriodMark.objects.create(
        year=world.year, school=world.school, student=pupils[1], course=course, period=period,
        value="3", created_by=teacher, updated_by=teacher,
    )  # fmt: skip
    group = Course.objects.create(
        school=world.school, year=world.year, subject=world.math, school_class=world.class_7a,
        name="группа 1",
    )  # fmt: skip
    group.teachers.add(world.user("teacher_7b"))
    CourseMember.objects.create(
        school=world.school, course=group, student=pupils[0], start=datetime.date(2026, 11, 10)
    )
    made = lessons_make(group, 3, start=datetime.date(2026, 11, 9), end=datetime.date(2026, 11, 11))
    Mark.objects.create(
        school=world.school, lesson=made[1], student=pupils[0], value="4", kind=answer,
        created_by=world.user("teacher_7b"),
    )  # fmt: skip
    return {"7a": course, "g": group}


def _labelled(grid: dict[str, Any]) -> dict[str, Any]:
    """The grid with its ids replaced by labels (the order they first appear in, per kind)."""
    labels: dict[tuple[str, Any], str] = {}

    def label(kind: str, value: Any) -> Any:
        if value is None:
            return None
        key = (kind, int(value))
        if key not in labels:
            labels[key] = f"{kind}{sum(1 for k, _v in labels if k == kind) + 1}"
        return labels[key]

    grid["course"]["id"] = label("course", grid["course"]["id"])
    grid["period"]["id"] = label("period", grid["period"]["id"])
    for k in grid["mark_kinds"]:
        k["id"] = label("kind", k["id"])
    for c in grid["absence_codes"]:
        c["id"] = label("code", c["id"])
    for lesson in grid["lessons"]:
        lesson["id"] = label("lesson", lesson["id"])
        if lesson["planned_topic"]:
            lesson["planned_topic"]["id"] = label("topic", lesson["planned_topic"]["id"])
        for f in lesson["files"]:
            f["url"] = label("file", f["url"].rstrip("/").rsplit("/", 1)[-1])
    for s in grid["students"]:
        s["id"] = label("student", s["id"])
    cells = {}
    for key, cell in grid["cells"].items():
        lesson, student = key.split(":")
        for m in cell["marks"]:
            m["id"], m["kind"] = label("mark", m["id"]), label("kind", m["kind"])
        cells[f"{label('lesson', lesson)}:{label('student', student)}"] = cell
    grid["cells"] = cells
    column = grid["period_column"]
    if column:
        column["period"] = label("period", column["period"])
        column["save_url"] = re.sub(r"\d+", "C", column["save_url"])
        column["values"] = {label("student", k): v for k, v in column["values"].items()}
    return grid


def _read(world: World, courses: dict[str, Course]) -> dict[str, Any]:
    found = {}
    for persona, which in READERS:
        client = Client()
        client.force_login(world.user(persona))
        response = client.get(f"/api/v1/journal/{courses[which].pk}")
        assert response.status_code == 200, response.content
        found[f"{persona} {which}"] = _labelled(json.loads(response.content))
    return found


def test_the_grid_json_is_the_one_main_answered(world: World) -> None:
    found = _read(world, _world(world))
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    for key, grid in found.items():
        assert json.dumps(grid, ensure_ascii=False, indent=1) == json.dumps(
            expected[key], ensure_ascii=False, indent=1
        ), key
    assert set(found) == set(expected)
