"""The diary's ETag is per student: another student's mark keeps this student's tag (a 304),
a change of his mark, absence, lesson topic or homework, or period mark makes it new; a 304 costs
one query (the token, the access and the marker: api/notmodified.py)."""

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.grading.services import period_marks_save
from otmetka.journal.models import Lesson
from otmetka.school.models import Period
from tests.diary.helpers import MONDAY, DiaryWorld, diary_world
from tests.grading.conftest import add_students
from tests.journal.helpers import code, kind
from tests.world import PASSWORD, World

Clients = Callable[[str | None], Client]
DAYS = "/api/v1/diary/{}/days?start=2026-11-16&end=2026-11-22"
MARKS = "/api/v1/diary/{}/marks"


def _token(login: str) -> str:
    answer = Client().post(
        "/api/v1/auth/token",
        json.dumps({"login": login, "password": PASSWORD}),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    return str(answer.json()["token"])


class Poller:
    """An app polling a student's diary days and marks with If-None-Match."""

    def __init__(self, token: str, student: int) -> None:
        self.client = Client(headers={"Authorization": f"Bearer {token}"})
        self.urls = [DAYS.format(student), MARKS.format(student)]
        self.tags = [self.client.get(u).headers["ETag"] for u in self.urls]

    def statuses(self) -> list[int]:
        """Each URL's status with the last tag (and the tags move on)."""
        found = []
        for n, url in enumerate(self.urls):
            answer = self.client.get(url, headers={"If-None-Match": self.tags[n]})
            found.append(answer.status_code)
            if answer.status_code == 200:
                assert answer.headers["ETag"] != self.tags[n]
                self.tags[n] = answer.headers["ETag"]
        return found


def _cells(teacher: Client, lesson: Lesson, changes: list[dict[str, Any]]) -> None:
    answer = teacher.post(
        f"/api/v1/lessons/{lesson.pk}/cells",
        json.dumps({"changes": changes}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["ok"], answer.content


def test_the_tag_follows_the_students_own_data_only(world: World, client_for: Clients) -> None:
    dw: DiaryWorld = diary_world(world)
    pupil = world.pupil_7a
    (other,) = add_students(world, 1)
    app = Poller(_token("parent7a"), pupil.pk)
    assert app.statuses() == [304, 304]
    teacher = client_for("teacher_7a_math")
    answer, lesson = kind(world).pk, dw.lessons[0]  # Monday (Friday's is cancelled)
    code(world, "н")

    _cells(teacher, lesson, [{"student": other.pk, "marks": [{"value": "3", "kind": answer}]}])
    _cells(teacher, lesson, [{"student": other.pk, "absence": {"code": "н"}}])
    assert app.statuses() == [304, 304]  # another student's mark and absence: still 304

    _cells(teacher, lesson, [{"student": pupil.pk, "marks": [{"value": "5", "kind": answer}]}])
    assert app.statuses() == [200, 200]  # his new mark
    mark = lesson.marks.filter(student=pupil).latest("pk")
    _cells(teacher, lesson, [{"student": pupil.pk, "marks": [{"id": mark.pk, "value": "4",
                                                            "kind": answer}]}])  # fmt: skip
    assert app.statuses() == [200, 200]  # his mark changed in place (the clock stands still)
    _cells(teacher, dw.lessons[2], [{"student": pupil.pk, "absence": {"code": "н"}}])
    assert app.statuses() == [200, 200]  # his absence

    for patch in ({"topic": "Новая тема"}, {"homework": "Новое задание"}):
        changed = teacher.patch(
            f"/api/v1/lessons/{dw.lessons[1].pk}", json.dumps(patch),
            content_type="application/json",
        )  # fmt: skip
        assert changed.status_code == 200, changed.content
        assert app.statuses()[0] == 200  # his lesson's topic, then homework

    period = Period.objects.filter(
        school=world.school, start__lte=MONDAY, end__gte=MONDAY
    ).first() or Period.objects.create(
        school=world.school, year=world.year, number=2, name="2 четверть",
        start=MONDAY, end=MONDAY.replace(day=28),
    )  # fmt: skip
    saved = period_marks_save(
        actor=world.user("teacher_7a_math"), course=world.course_7a_math, period=period,
        entries={other.pk: {"value": "4"}},
    )  # fmt: skip
    assert saved == 1 and app.statuses()[1] == 304  # another's period mark
    period_marks_save(
        actor=world.user("teacher_7a_math"), course=world.course_7a_math, period=period,
        entries={pupil.pk: {"value": "4"}},
    )  # fmt: skip
    assert app.statuses()[1] == 200  # his period mark


def test_a_304_costs_one_query(world: World) -> None:
    diary_world(world)
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    app.statuses()  # the token's first use is noted (one UPDATE, then every 10 minutes)
    for n, url in enumerate(app.urls):
        with CaptureQueriesContext(connection) as ctx:
            answer = app.client.get(url, headers={"If-None-Match": app.tags[n]})
        assert answer.status_code == 304
        # the token, the access and the marker in one read (api/notmodified.py)
        assert len(ctx) == 1, [q["sql"][:80] for q in ctx.captured_queries]
