"""The diary's 304 from one read (api/notmodified.py): one query whatever the children, lessons
and marks; the same tag as the route; a token that does not work, another child or an ended
link never get a 304; what the fast path does not read exactly as the route is left to it; the
access rule in SQL answers as `access.diary` does."""

import datetime
from typing import Any

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otmetka.access.diary import diary_student_sql, diary_students
from otmetka.accounts.models import ApiToken, User
from otmetka.people.models import Guardian, Student
from tests.api.test_etag import DAYS, MARKS, Poller, _token
from tests.diary.helpers import diary_world, more_lessons
from tests.grading.conftest import add_students
from tests.world import World


def _polled(app: Poller, n: int, headers: dict[str, str] | None = None) -> tuple[int, int]:
    """(status, queries) of one poll of the app's n-th URL with its tag."""
    with CaptureQueriesContext(connection) as ctx:
        answer = app.client.get(
            app.urls[n], headers={"If-None-Match": app.tags[n], **(headers or {})}
        )
    return answer.status_code, len(ctx)


def test_a_304_is_one_query_whatever_the_children_lessons_and_marks(world: World) -> None:
    dw = diary_world(world)
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    assert [_polled(app, n) for n in (0, 1)] == [(304, 1), (304, 1)]
    more_lessons(world, 15)
    for child in add_students(world, 3):
        Guardian.objects.create(school=world.school, student=child, user=world.user("guardian_7a"))
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    assert [_polled(app, n) for n in (0, 1)] == [(304, 1), (304, 1)]
    other = Poller(_token("parent7a"), dw.other_child.pk)  # the child in the other school
    assert [_polled(other, n) for n in (0, 1)] == [(304, 1), (304, 1)]


def test_the_token_use_is_noted_every_ten_minutes(world: World) -> None:
    diary_world(world)
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    noted = ApiToken.objects.get().last_used_at
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        assert _polled(app, 0) == (304, 2)  # the read and the note
        assert _polled(app, 1) == (304, 1)
    assert ApiToken.objects.get().last_used_at > noted


def test_a_token_that_does_not_work_never_gets_a_304(world: World) -> None:
    diary_world(world)
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    token = ApiToken.objects.get()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    assert [_polled(app, n)[0] for n in (0, 1)] == [401, 401]
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    ApiToken.objects.filter(revoked_at=None).update(expires_at=timezone.now())
    assert [_polled(app, n)[0] for n in (0, 1)] == [401, 401]
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    User.objects.filter(username="parent7a").update(is_active=False)
    assert [_polled(app, n)[0] for n in (0, 1)] == [401, 401]


def test_another_childs_tag_or_an_ended_link_gives_404(world: World) -> None:
    diary_world(world)
    own = Poller(_token("pupil7b"), world.pupil_7b.pk)  # the 7Б student reads his own diary
    assert [_polled(own, n)[0] for n in (0, 1)] == [304, 304]
    parent = Poller(_token("parent7a"), world.pupil_7a.pk)
    parent.urls, parent.tags = own.urls, own.tags  # another child's URLs with their tags
    assert [_polled(parent, n)[0] for n in (0, 1)] == [404, 404]
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    Guardian.objects.filter(pk=world.guardian_link.pk).update(
        end=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert [_polled(app, n)[0] for n in (0, 1)] == [404, 404]


def test_what_the_fast_path_does_not_read_is_left_to_the_route(world: World) -> None:
    diary_world(world)
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    pupil = world.pupil_7a.pk
    app.urls = [DAYS.format(pupil) + "&utm=1", MARKS.format(pupil) + "?period=1"]
    app.tags = [app.client.get(u).headers["ETag"] for u in app.urls]
    assert _polled(app, 0)[0] == 304 and _polled(app, 0)[1] > 1  # the route's 304
    assert _polled(app, 1) == (304, 1)
    app.urls = [f"/api/v1/diary/{pupil}/days?start=2026-11-16&end=2026-11-01"]
    assert app.client.get(app.urls[0], headers={"If-None-Match": "*"}).status_code == 400
    session = Client()
    session.force_login(world.user("guardian_7a"))  # a session's request: the route's 304
    tag = session.get(MARKS.format(pupil)).headers["ETag"]
    assert session.get(MARKS.format(pupil), headers={"If-None-Match": tag}).status_code == 304


def test_the_access_rule_in_sql_answers_as_access_diary(world: World) -> None:
    dw = diary_world(world)
    Guardian.objects.create(
        school=world.school, student=world.pupil_7b, user=world.user("homeroom_7a"),
        end=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    students = [*Student.objects.all(), dw.other_child]
    checked = 0
    for user in world.users.values():
        for student in students:
            with connection.cursor() as cursor:
                sql = f"SELECT 1 WHERE {diary_student_sql(str(user.pk))}"
                cursor.execute(sql, [student.pk, today])
                by_sql = cursor.fetchone() is not None
            assert by_sql == diary_students(user).filter(pk=student.pk).exists(), (user, student)
            checked += by_sql
    assert checked >= 4  # two children of the guardian, and the students' own


def test_the_statement_once_prepared_still_answers_and_still_refuses(
    world: World, client_for: Any
) -> None:
    """On PostgreSQL the 304's statement is prepared on the connection from its fifth run (a
    server-side binding cursor, `core.rows.planned_cursor`): the prepared statement answers the
    same 304s, the student's new mark still changes the tag, and a revoked token is refused."""
    from tests.api.test_etag import _cells
    from tests.journal.helpers import code, kind

    dw = diary_world(world)
    app = Poller(_token("parent7a"), world.pupil_7a.pk)
    assert [_polled(app, n % 2) for n in range(12)] == [(304, 1)] * 12  # 6 runs of each
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] >= 1
    code(world, "н")
    _cells(
        client_for("teacher_7a_math"), dw.lessons[0],
        [{"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": kind(world).pk}]}],
    )  # fmt: skip
    assert _polled(app, 0)[0] == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert _polled(app, 1)[0] == 401
