"""The ЭлЖур-compatible layer: per method, the shapes and types of shared/reference/eljur-api.md
(strings for ids and numbers where ЭлЖур sends strings, YYYYMMDD days, the diary keyed by
date, objects never `[]`), for a parent with two children (two schools) and for a student;
the same data as the diary pages; errors in the envelope, never a server error."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from otmetka.accounts.models import ApiToken
from otmetka.diary import selectors
from otmetka.grading.models import PeriodMark
from otmetka.messaging.models import Thread
from otmetka.school.models import Period
from tests.diary.helpers import MONDAY, DiaryWorld, diary_world
from tests.world import PASSWORD, World

WEEK = "20261116-20261122"


def call(
    method: str, token: str = "", http: str = "get", prefix: str = "apiv3", **params: Any
) -> Any:
    data = {"devkey": "0123456789abcdef0123456789abcdef", "vendor": "stolbovo",
            "out_format": "json", "auth_token": token, **params}  # fmt: skip
    answer = getattr(Client(), http)(f"/{prefix}/{method}", data)
    body = answer.json()
    assert set(body) == {"response"} and answer.status_code == body["response"]["state"]
    return body["response"]


def ok(method: str, token: str, **params: Any) -> Any:
    response = call(method, token, **params)
    assert response["state"] == 200 and response["error"] is None, response
    return response["result"]


def sign_in(login: str) -> str:
    result = ok("auth", "", login=login, password=PASSWORD)
    assert isinstance(result["token"], str) and len(result["expires"]) == 19
    assert result["expires"][4] == "-" and result["expires"][13] == ":"  # YYYY-MM-DD HH:MM:SS
    return str(result["token"])


@pytest.fixture
def dw(world: World) -> DiaryWorld:
    return diary_world(world)


@pytest.fixture
def parent(dw: DiaryWorld) -> str:
    return sign_in("parent7a")


@pytest.fixture
def pupil(dw: DiaryWorld) -> str:
    return sign_in("pupil7a")


def test_auth_by_get_post_form_and_json_body(world: World) -> None:
    assert sign_in("parent7a")
    credentials = {"login": "parent7a", "password": PASSWORD}
    form = Client().post("/apiv3/auth?devkey=x&out_format=json", credentials)
    assert form.json()["response"]["result"]["token"]
    body = Client().post(
        "/api/auth?vendor=x", {"login": "pupil7a", "password": PASSWORD, "out_format": "json"},
        content_type="application/json",
    )  # fmt: skip
    assert body.status_code == 200 and body.json()["response"]["result"]["token"]
    assert ApiToken.objects.count() == 3
    wrong = call("auth", login="parent7a", password="нет")
    assert wrong["state"] == 400 and wrong["error"] == "Неверный логин или пароль."
    assert wrong["result"] == {}


def test_getrules_of_a_parent_lists_both_children(parent: str, dw: DiaryWorld) -> None:
    r = ok("getrules", parent)
    w = dw.world
    assert r["roles"] == ["parent"]
    kids = r["relations"]["students"]
    assert set(kids) == {str(w.pupil_7a.pk), str(w.other_pupil.pk)}
    kid = kids[str(w.pupil_7a.pk)]
    assert kid["name"] == str(w.pupil_7a.pk) and kid["title"] == "Иванов Иван"
    assert kid["rel"] == "child" and kid["class"] == "7А" and kid["parallel"] == 7
    assert "getdiary" in kid["rules"]
    assert r["relations"]["schools"][0]["title"]  # markbook CLI needs it non-empty
    for field in ("name", "id", "title", "firstname", "lastname", "middlename", "gender", "email",
                  "city", "region", "messageSignature"):  # fmt: skip
        assert isinstance(r[field], str), field  # Apheleia reads them as strings
    assert r["name"] == str(w.user("guardian_7a").pk)


def test_getrules_of_a_student_lists_themself(pupil: str, dw: DiaryWorld) -> None:
    r = ok("getRules", pupil)  # method names in any case
    assert r["roles"] == ["student"]
    assert r["relations"]["students"][r["name"]]["title"] == "Иванов Иван"
    assert r["relations"]["groups"]["7А"]["rel"] == "homeclass"


def test_getperiods_is_a_list_of_students_with_yyyymmdd_periods(
    parent: str, dw: DiaryWorld
) -> None:
    r = ok("getperiods", parent, weeks="true", show_disabled="False")
    assert isinstance(r["students"], list) and len(r["students"]) == 2
    mine = next(s for s in r["students"] if s["name"] == str(dw.world.pupil_7a.pk))
    first = mine["periods"][0]
    assert first["name"] == "I" and first["ambigious"] is False and first["disabled"] is False
    assert len(first["start"]) == 8 and first["start"].isdigit()
    assert first["weeks"][0]["start"] == first["start"]
    no_weeks = ok("getperiods", pupil_token(dw), weeks="0")
    assert "weeks" not in no_weeks["students"][0]["periods"][0]


def pupil_token(dw: DiaryWorld) -> str:
    return sign_in("pupil7a")


def test_getdiary_of_a_week_keyed_by_date_and_lesson_number(parent: str, dw: DiaryWorld) -> None:
    pupil = str(dw.world.pupil_7a.pk)
    r = ok("getdiary", parent, student=pupil, days=WEEK, rings="1")
    assert list(r["students"]) == [pupil]
    days = r["students"][pupil]["days"]
    assert list(days)[:5] == ["20261116", "20261117", "20261118", "20261119", "20261120"]
    monday = days["20261116"]
    assert monday["name"] == "20261116" and monday["title"] == "Понедельник"
    assert days["20261118"]["alert"] == "today"
    lesson = monday["items"]["1"]
    assert lesson["name"] == "Математика" or isinstance(lesson["name"], str)
    assert lesson["num"] == "1" and isinstance(lesson["sort"], int)
    assert lesson["starttime"] == "08:00:00" and lesson["endtime"] == "08:40:00"
    assert lesson["lesson_id"] == str(dw.lessons[0].pk) and isinstance(lesson["room"], str)
    assert isinstance(lesson["teacher"], str) and lesson["topic"] == "Тема 1"
    (homework,) = lesson["homework"].values()
    assert homework["value"] == "Упражнение 1" and homework["individual"] is False
    assert lesson["files"][0]["toid"] == homework["id"]
    assert lesson["files"][0]["link"].startswith("http")
    mark = lesson["assessments"][0]
    assert mark["value"] == "4" and mark["convert"] == 4 and mark["date"] == "2026-11-16"
    assert isinstance(mark["weight"], int) and mark["count"] is True
    absence = days["20261117"]["items"]["1"]["assessments"][0]
    assert absence["value"] == "б" and absence["convert"] == 0 and absence["count"] is False
    both = ok("newgetdiary", parent, days=WEEK)  # no student: every child
    assert set(both["students"]) == {pupil, str(dw.other_child.pk)}
    assert "starttime" not in both["students"][pupil]["days"]["20261116"]["items"]["1"]


def test_getdiary_has_the_diary_pages_data(parent: str, dw: DiaryWorld) -> None:
    """The apiv3 diary and the week the diary page shows are the same lessons and marks."""
    pupil = dw.world.pupil_7a
    page = selectors.diary_week(student=pupil, day=MONDAY)
    r = ok("getdiary", parent, student=str(pupil.pk), days=WEEK)
    days = r["students"][str(pupil.pk)]["days"]
    for day in page["days"]:
        items = days[day.date.strftime("%Y%m%d")]["items"]
        assert [i["lesson_id"] for i in items.values()] == [str(ls["id"]) for ls in day.lessons]
        for ls, item in zip(day.lessons, items.values(), strict=True):
            assert (item["name"], item["topic"], item["teacher"]) == (
                ls["subject"], ls["topic"], ls["teacher"])  # fmt: skip
            marks = [a["value"] for a in item["assessments"]]
            assert marks == [m["value"] for m in ls["marks"]] + (
                [ls["absence"]["code"]] if ls["absence"] else [])  # fmt: skip


def test_getschedule_and_gethomework(pupil: str, dw: DiaryWorld) -> None:
    r = ok("getschedule", pupil, days=WEEK, rings="yes")
    (entry,) = r["students"].values()
    item = entry["days"]["20261116"]["items"]["1"]
    assert item["starttime"] == "08:00:00" and "assessments" not in item
    hw = ok("gethomework", pupil, days=WEEK)
    (entry,) = hw["students"].values()
    monday = entry["days"]["20261116"]
    (subject,) = monday["items"]
    assert monday["items"][subject]["name"] == subject
    (task,) = monday["items"][subject]["homework"].values()
    assert task["value"] == "Упражнение 1"


def test_getmarks_by_subject_for_a_period(parent: str, dw: DiaryWorld) -> None:
    pupil = str(dw.world.pupil_7a.pk)
    q2 = Period.objects.get(year=dw.world.year, number=2)
    r = ok("getmarks", parent, student=pupil, days=f"{q2.start:%Y%m%d}-{q2.end:%Y%m%d}")
    (lesson,) = [s for s in r["students"][pupil]["lessons"] if s["marks"]]
    assert [m["value"] for m in lesson["marks"]] == ["4", "5"]
    assert lesson["average"] == "4.50" and lesson["averageConvert"] == 5
    mark = lesson["marks"][1]
    assert mark["date"] == "2026-11-18" and mark["mtype"]["type"] == "Контрольная работа"
    assert isinstance(mark["convert"], int) and isinstance(mark["weight_float"], float)
    default = ok("newgetmarks", parent, students=pupil)  # the current period
    assert default["students"][pupil]["lessons"] == r["students"][pupil]["lessons"]


def test_getfinalassessments_lists_period_marks(pupil: str, dw: DiaryWorld) -> None:
    w = dw.world
    q1 = Period.objects.get(year=w.year, number=1)
    PeriodMark.objects.create(
        year=w.year, school=w.school, student=w.pupil_7a, course=w.course_7a_math, period=q1,
        value="5",
        created_by=w.user("teacher_7a_math"), updated_by=w.user("teacher_7a_math"),
    )  # fmt: skip
    r = ok("getfinalassessments", pupil)
    (entry,) = r["students"].values()
    maths = next(i for i in entry["items"] if i["assessments"])
    assert maths["assessments"] == [
        {"period": "I", "value": "5", "comment": "", "convert": 5, "color_hex": None}
    ]


def test_a_parent_never_reads_another_child(parent: str, dw: DiaryWorld) -> None:
    w = dw.world
    for student in (w.pupil_7b.pk, 10**30, "abc"):
        for method in ("getdiary", "getmarks", "getperiods", "getschedule", "gethomework",
                       "getfinalassessments"):  # fmt: skip
            r = call(method, parent, student=student)
            assert r["state"] == 404 and r["result"] == {}, (method, student)
    stranger = sign_in("pupil7b")
    r = call("getdiary", stranger, student=w.pupil_7a.pk)
    assert r["state"] == 404  # a student of school 1 never reads 7А's pupil
    other = sign_in("other_teacher")
    assert call("getdiary", other, student=w.other_pupil.pk)["state"] == 404  # across schools


def test_refusals_are_in_the_envelope(parent: str, dw: DiaryWorld) -> None:
    assert call("getdiary", "otm_nope")["state"] == 403
    assert call("getdiary", "")["state"] == 403
    unknown = call("getunicorns", parent)
    assert unknown["state"] == 404 and "getunicorns" in unknown["error"]
    assert call("get-diary", parent)["state"] == 404
    xml = call("getrules", parent, out_format="xml")
    assert xml["state"] == 400 and "json" in xml["error"]
    assert call("getdiary", parent, days="2026-11-16")["state"] == 400
    assert call("getdiary", parent, days="20261122-20261116")["state"] == 400
    assert call("getdiary", parent, days="20260101-20261231")["state"] == 400
    assert call("getdiary", parent, days="20261399-20261400")["state"] == 400
    assert call("getrules", parent, vendor="a\x00b")["state"] == 400
    assert ok("getadvertising", parent) == {}
    revoked = sign_in("pupil7a")
    ApiToken.objects.filter(pk=ApiToken.objects.order_by("-pk")[0].pk).update(
        revoked_at="2026-11-18T00:00Z"
    )
    assert call("getrules", revoked)["state"] == 403


def test_a_devkey_list_limits_the_clients(parent: str, settings: Any) -> None:
    settings.ELJUR_DEVKEYS = ["good"]
    refused = call("getrules", parent)
    assert refused["state"] == 403 and "devkey" in refused["error"]
    answer = Client().get("/apiv3/getrules", {"DevKey": "good", "auth_token": parent})
    assert answer.json()["response"]["state"] == 200  # parameter names in any case


def test_messages_round_trip(
    parent: str, dw: DiaryWorld, client_for: Callable[[str | None], Client]
) -> None:
    w = dw.world
    teacher = w.user("teacher_7a_math")
    elsewhere = ok("getmessagereceivers", parent)["groups"]  # the first school: the other one
    assert str(teacher.pk) not in [u["name"] for g in elsewhere for u in g["users"]]
    receivers = ok("getmessagereceivers", parent, school=w.school.pk)["groups"]
    people = receivers[0]["users"]
    assert str(teacher.pk) in [u["name"] for u in people]
    assert all(set(u) >= {"name", "firstname", "lastname", "middlename", "info"} for u in people)
    refused = call("sendmessage", parent, users_to=str(teacher.pk), subject="Т", text="Х")
    assert refused["state"] == 403  # a family's device is read-only until allowed
    ApiToken.objects.filter(user=w.user("guardian_7a")).update(writable=True)
    sent = ok("sendmessage", parent, users_to=str(teacher.pk), subject="Справка", text="Принесём",
              school=w.school.pk)  # fmt: skip
    thread = Thread.objects.get(pk=int(sent["id"]))
    assert thread.subject == "Справка"
    box = ok("getmessages", parent, folder="sent", limit="20", page="1", school=w.school.pk)
    assert box["total"] == "1" and box["count"] == 1
    message = box["messages"][0]
    assert message["id"] == sent["id"] and message["users_to"][0]["name"] == str(teacher.pk)
    assert len(message["date"]) == 19 and message["date"][10] == " "
    teacher_token = sign_in("math7a")
    inbox = ok("getmessages", teacher_token, unreadonly="true")
    assert inbox["messages"][0]["unread"] is True
    assert inbox["messages"][0]["user_from"]["name"] == str(w.user("guardian_7a").pk)
    info = ok("getmessageinfo", teacher_token, id=sent["id"])["message"]
    assert info["text"] == "Принесём" and info["user_to"][0]["name"] == str(teacher.pk)
    ok("sendreplymessage", teacher_token, replyto=sent["id"], text="Спасибо")
    again = ok("getmessageinfo", parent, id=sent["id"], school=w.school.pk)["message"]
    assert [m["text"] for m in again["messages"]] == ["Принесём", "Спасибо"]
    foreign = call("getmessageinfo", sign_in("pupil7b"), id=sent["id"])
    assert foreign["state"] == 404
    bad = call("sendmessage", parent, users_to="1,x", subject="a", text="b")
    assert bad["state"] == 400


def test_post_form_and_the_api_alias_serve_the_same(parent: str, dw: DiaryWorld) -> None:
    a = call("getdiary", parent, http="post", prefix="api", days=WEEK)
    b = call("getdiary", parent, days=WEEK)
    assert a == b and a["state"] == 200
    slash = Client().get(f"/apiv3/getrules/?auth_token={parent}&_=1700000000000")
    assert slash.status_code == 200


def test_getdiary_and_days_cost_the_same_queries_for_more_lessons(
    parent: str, dw: DiaryWorld, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.diary.helpers import more_lessons

    pupil = dw.world.pupil_7a.pk
    bearer = Client(headers={"Authorization": f"Bearer {parent}"})

    def counts() -> tuple[int, int, int]:
        found = []
        for fetch in (
            lambda: call("getdiary", parent, student=pupil, days=WEEK),
            lambda: bearer.get(f"/api/v1/diary/{pupil}/days?start=2026-11-16"),
        ):
            with CaptureQueriesContext(connection) as ctx:
                fetch()
            found.append(len(ctx))
        etag = bearer.get(f"/api/v1/diary/{pupil}/days").headers["ETag"]
        with CaptureQueriesContext(connection) as ctx:
            cached = bearer.get(f"/api/v1/diary/{pupil}/days", headers={"If-None-Match": etag})
        assert cached.status_code == 304
        return found[0], found[1], len(ctx)

    call("getrules", parent)  # the token's first use notes it (one UPDATE, then every 10 min)
    few = counts()
    more_lessons(dw.world, 20)
    assert counts() == few
    assert few[2] == 1  # a 304: the token, the access and the marker in one (api/notmodified.py)


def test_getfinalassessments_costs_the_same_queries_for_more_periods_and_subjects(
    pupil: str, dw: DiaryWorld
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from otmetka.curriculum.models import Course, Subject

    w = dw.world
    teacher = w.user("teacher_7a_math")

    def count() -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as ctx:
            r = ok("getfinalassessments", pupil)
        return len(ctx), r

    ok("getrules", pupil)  # the token's first use notes it (one UPDATE, then every 10 min)
    few, _r = count()
    periods = list(Period.objects.filter(year=w.year).order_by("number"))
    for n in range(3):
        subject = Subject.objects.create(school=w.school, name=f"Предмет {n}", position=20 + n)
        course = Course.objects.create(
            school=w.school, year=w.year, subject=subject, school_class=w.class_7a
        )
        for p in periods:
            PeriodMark.objects.create(
                year=w.year, school=w.school, student=w.pupil_7a, course=course, period=p,
                value=str(3 + p.number % 3), created_by=teacher, updated_by=teacher,
            )  # fmt: skip
    many, r = count()
    assert many == few == 6  # the token, the students, then enrollments, periods, courses, marks
    (entry,) = r["students"].values()
    first = next(i for i in entry["items"] if i["name"] == "Предмет 0")
    assert [(a["period"], a["value"]) for a in first["assessments"]] == [
        ("I", "4"), ("II", "5"), ("III", "3"), ("IV", "4")
    ]  # fmt: skip
