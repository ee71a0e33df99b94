"""The deputy's monitoring and the director's page on a synthetic school with known answers
(tests/reports/monitoring_world.py), its exports, bad input and query counts."""

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from otmetka.grading.models import AcademicDebt
from otmetka.reports.monitoring import Range, diary_usage, monitoring, parse_range
from tests.reports.conftest import add_students, xlsx_rows
from tests.reports.monitoring_world import END, QUERY, START, MonitoringWorld, build_monitoring
from tests.world import World

Clients = Callable[[str | None], Client]
CUTOFF = START.replace(day=18)


@pytest.fixture
def mw(world: World) -> MonitoringWorld:
    return build_monitoring(world)


def _data(mw: MonitoringWorld) -> dict:
    return monitoring(school=mw.world.school, rng=Range(START, END, CUTOFF))


def _row(rows: list, name: str):
    (found,) = [r for r in rows if r.name == name]
    return found


def test_the_school_total(mw: MonitoringWorld) -> None:
    total = _data(mw)["total"]
    c = total.counts
    assert (c.held, c.topic, c.attendance, c.homework) == (15, 11, 9, 7)
    assert (c.topic_pct, c.attendance_pct, c.homework_pct) == (
        Decimal("73.3"),
        Decimal("60.0"),
        Decimal("46.7"),
    )
    assert (len(total.teachers), len(total.active), total.active_pct) == (3, 2, Decimal("66.7"))
    assert (c.written, c.written_marked, c.written_pct) == (2, 1, Decimal("50.0"))


def test_the_journals(mw: MonitoringWorld) -> None:
    rows = _data(mw)["rows"]["course"]
    maths = _row(rows, "Математика — 7А")
    c = maths.counts
    assert (c.lessons, c.held, c.topic_pct, c.attendance_pct, c.homework_pct) == (
        10,
        8,
        Decimal("75.0"),
        Decimal("50.0"),
        Decimal("25.0"),
    )
    assert (c.planned, c.lag) == (8, 2)
    assert (c.procedures, c.procedure_limit, c.procedures_over) == (2, 1, True)
    russian_7b = _row(rows, "Русский язык — 7Б")
    assert russian_7b.counts.fill_pct == Decimal("100.0") and russian_7b.counts.lag is None
    russian_7a = _row(rows, "Русский язык — 7А")
    assert (russian_7a.counts.held, russian_7a.counts.entered, russian_7a.active_pct) == (
        2,
        0,
        Decimal("0.0"),
    )


def test_teachers_classes_and_subjects(mw: MonitoringWorld) -> None:
    rows = _data(mw)["rows"]
    assert [r.name for r in rows["teacher"]] == ["Буквина М.С.", "Классная Е.В.", "Числов М.А."]
    assert [r.active_pct for r in rows["teacher"]] == [Decimal(100), Decimal(0), Decimal(100)]
    class_7a = _row(rows["class"], "7А")
    assert (class_7a.counts.held, class_7a.counts.topic_pct, class_7a.active_pct) == (
        10,
        Decimal("60.0"),
        Decimal("50.0"),
    )
    assert (class_7a.counts.written, class_7a.counts.written_pct) == (2, Decimal("50.0"))
    russian = _row(rows["subject"], "Русский язык")
    assert (russian.counts.held, russian.counts.topic_pct) == (7, Decimal("71.4"))


def test_the_weekly_trend(mw: MonitoringWorld) -> None:
    trend = _data(mw)["trend"]
    assert [(w["week"].day, w["counts"].held, w["counts"].topic) for w in trend] == [
        (9, 9, 7),
        (16, 6, 4),
    ]


def test_the_homework_load_of_r38(mw: MonitoringWorld) -> None:
    (load,) = _data(mw)["homework"]
    assert (load["name"], load["limit"], load["days"], load["max"]) == ("7Б", 150, 2, 170)
    assert [(d.day, m) for d, m in load["over"]] == [(16, 170)]


def test_one_procedure_per_class_per_day(mw: MonitoringWorld) -> None:
    (clash,) = _data(mw)["clashes"]
    assert (clash["name"], clash["date"].day, clash["n"]) == ("7А", 12, 2)


def test_the_diary_use(mw: MonitoringWorld) -> None:
    usage = dict(diary_usage(mw.world.school, Range(START, END, CUTOFF)))
    school, a, b = usage[""], usage["7А"], usage["7Б"]
    assert (school.students, school.students_pct, school.guardians_pct) == (
        2,
        Decimal("50.0"),
        Decimal("100.0"),
    )
    assert (a.students_pct, a.guardians_pct) == (Decimal("100.0"), Decimal("100.0"))
    assert (b.students_pct, b.guardians, b.guardians_pct) == (Decimal("0.0"), 0, None)


def test_the_range_defaults_to_the_current_quarter(mw: MonitoringWorld) -> None:
    from otmetka.reports.monitoring import school_periods

    rng = parse_range(None, None, school_periods(mw.world.school), CUTOFF)
    assert (rng.start.isoformat(), rng.end.isoformat(), rng.cutoff) == (
        "2026-11-05",
        "2026-12-30",
        CUTOFF,
    )


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-01&end=2026-12-01",
        "start=2026-11-20&end=2026-11-09",
        "start=2026-11-09",
        "start=2020-01-01&end=2026-12-01",
        "start=%00&end=%ED%A0%80",
        "start=9" * 50,
    ],
)
def test_a_bad_range_is_a_400_in_russian(
    mw: MonitoringWorld, client_for: Clients, query: str
) -> None:
    client = client_for("deputy")
    for url in (
        "/reports/monitoring/",
        "/reports/monitoring/xlsx/",
        "/reports/monitoring/procedures.csv",
        "/reports/director/",
    ):
        if url == "/reports/director/":
            client = client_for("director")
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert "Даты" in response.content.decode()


def test_the_page_shows_the_figures_and_drills_down(
    mw: MonitoringWorld, client_for: Clients
) -> None:
    client = client_for("deputy")
    html = client.get(f"/reports/monitoring/?{QUERY}").content.decode()
    assert "Мониторинг ведения журнала" in html and "73,3" in html and "<svg" in html
    assert "Числов М.А." in html and "Чужая" not in html
    maths = mw.world.course_7a_math.pk
    assert f"/reports/monitoring/lessons/course/{maths}/?{QUERY}".replace("&", "&amp;") in html
    page = client.get(f"/reports/monitoring/lessons/course/{maths}/?{QUERY}").content.decode()
    assert page.count("<tr>") == 9 and "Тема урока 0" in page  # the header and 8 held lessons
    teacher = mw.world.user("teacher_7a_math").pk
    assert client.get(f"/reports/monitoring/lessons/teacher/{teacher}/?{QUERY}").status_code == 200
    assert client.get(f"/reports/monitoring/lessons/nope/1/?{QUERY}").status_code == 404
    other = mw.world.other_class.courses.get().pk
    foreign = client.get(f"/reports/monitoring/lessons/course/{other}/?{QUERY}").content.decode()
    assert "Чужая тема" not in foreign
    assert client.get(f"/reports/monitoring/lessons/course/{2**63}/").status_code == 404


def test_the_xlsx_and_the_schedule(mw: MonitoringWorld, client_for: Clients) -> None:
    client = client_for("deputy")
    response = client.get(f"/reports/monitoring/xlsx/?{QUERY}")
    assert response["Content-Disposition"].startswith("attachment")
    school = xlsx_rows(response.content)
    assert school[3][2:6] == (15, 73.3, 60.0, 46.7)
    teachers = xlsx_rows(response.content, 1)
    assert [r[0] for r in teachers[2:]] == ["Буквина М.С.", "Классная Е.В.", "Числов М.А."]
    response = client.get(f"/reports/monitoring/procedures.csv?{QUERY}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Дата", "Класс", "Предмет", "Вид работы", "Тема"]
    assert [r[:3] for r in rows[1:]] == [
        ["12.11.2026", "7А", "Математика"],
        ["12.11.2026", "7А", "Русский язык"],
        ["19.11.2026", "7А", "Математика"],
    ]


def test_the_directors_page(mw: MonitoringWorld, client_for: Clients) -> None:
    w = mw.world
    AcademicDebt.objects.create(
        school=w.school,
        student=w.pupil_7a,
        course=w.course_7a_math,
        year=w.year,
        value="2",
        arose_on=START,
        created_by=w.user("deputy"),
    )
    html = client_for("director").get(f"/reports/director/?{QUERY}").content.decode()
    assert "Школа в целом" in html and "1 открытая задолженность" in html
    assert "Завучева Зоя Ивановна" in html and "Классная Елена Викторовна" in html
    assert "никто не назначен" in html  # no extracurricular teacher in the world
    worst = html.split("10 наименее заполненных журналов")[1].split("</table>")[0]
    assert worst.index("Русский язык — 7А") < worst.index("Математика — 7А")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(("persona", "page"), [("deputy", "monitoring"), ("director", "director")])
def test_the_query_count_does_not_grow_with_the_school(
    mw: MonitoringWorld, client_for: Clients, persona: str, page: str
) -> None:
    """Students, classes, journals and lessons more: the same queries, on both pages."""
    client = client_for(persona)
    url = f"/reports/{page}/?{QUERY}"
    before = _queries(client, url)
    add_students(mw.world, 28)
    add_students(mw.world, 28, mw.world.class_7b)
    build_monitoring_more(mw)
    assert _queries(client, url) == before
    assert before <= 20


def build_monitoring_more(mw: MonitoringWorld) -> None:
    """More lessons, journals and classes of the same school: a second 7Б course and three new
    classes with a journal each, a lesson on each day from the 9th to the 18th (with a topic and
    homework minutes)."""
    from otmetka.curriculum.models import Course
    from otmetka.school.models import PeriodScheme, SchoolClass
    from tests.factories import LessonFactory

    w = mw.world
    classes = [w.class_7b] + [
        SchoolClass.objects.create(
            school=w.school, year=w.year, grade=8, letter=letter,
            period_scheme=PeriodScheme.QUARTERS,
        )
        for letter in "АБВ"
    ]  # fmt: skip
    for school_class in classes:
        course = Course.objects.create(
            school=w.school, year=w.year, subject=w.math, school_class=school_class
        )
        course.teachers.add(w.user("teacher_7b"))
        for day in range(9, 19):
            LessonFactory(
                course=course, date=START.replace(day=day), topic="Тема", homework_minutes=30
            )


@given(start=st.text(max_size=30), end=st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_any_text_is_a_range_or_a_value_error(start: str, end: str) -> None:
    import datetime

    try:
        rng = parse_range(start, end, [], datetime.date(2026, 11, 18))
    except ValueError:
        return
    assert rng.start <= rng.end and (rng.end - rng.start).days <= 400
    assert rng.cutoff <= rng.end


def test_the_timeliness_column_sums_the_deadline_engines_rollups(mw: MonitoringWorld) -> None:
    """«вовремя / с опозданием / не внесено» per journal, summed for the teacher and the school,
    from the compliance rollups of the range (a rollup after the cut-off day is not counted)."""
    from django.utils import timezone

    from otmetka.compliance.models import DayRollup
    from otmetka.reports.monitoring_exports import timely_text

    w = mw.world
    school = w.school
    now = timezone.now()
    DayRollup.objects.create(
        school=school, course=w.course_7a_math, day=START, lessons=2, computed_at=now,
        topic_on_time=2, attendance_on_time=1, attendance_missing=1, homework_late=1,
    )  # fmt: skip
    DayRollup.objects.create(
        school=school, course=mw.russian_7a, day=CUTOFF, lessons=1, computed_at=now,
        topic_on_time=1, attendance_on_time=1, marks_missing=1,
    )  # fmt: skip
    DayRollup.objects.create(
        school=school, course=w.course_7a_math, day=END, lessons=1, topic_missing=1,
        computed_at=now,
    )  # fmt: skip
    rows = _data(mw)["rows"]
    maths = _row(rows["course"], "Математика — 7А")
    assert timely_text(maths) == "60 / 20 / 20"  # 3 on time, 1 late, 1 missing of 5 due
    total = rows["school"][0]
    assert timely_text(total) == "63 / 13 / 25"  # 5 / 1 / 2 of 8
    assert total.timely["marks_missing"] == 1 and total.timely["topic_missing"] == 0
    # A journal with no deadline passed shows «—».
    assert any(timely_text(r) is None for r in rows["course"])


def test_period_marks_unlike_the_suggestion_are_flagged_with_a_drill_down(
    mw: MonitoringWorld, client_for: Clients
) -> None:
    from otmetka.grading.models import PeriodMark
    from otmetka.grading.selectors import period_rows
    from otmetka.school.models import Period

    w = mw.world
    quarter = Period.objects.get(school=w.school, start__lte=START, end__gte=START)
    teacher = w.user("teacher_7a_math")
    others = add_students(w, 1)
    for student, value in ((w.pupil_7a, "5"), (others[0], "3")):
        PeriodMark.objects.create(
            school=w.school, student=student, course=w.course_7a_math, year=w.year,
            period=quarter, value=value, created_by=teacher, updated_by=teacher,
        )  # fmt: skip
    # The period marks page's own flags: the pupil's «5» is not the suggested «4» (one «4» of a
    # control work); the other pupil has no current marks, so no suggestion and no flag.
    flagged = [(r.name, r.mark.value, r.suggestion) for r in period_rows(w.course_7a_math, quarter)
               if r.differs and r.mark is not None]  # fmt: skip
    name = f"{w.pupil_7a.last_name} {w.pupil_7a.first_name}"
    assert flagged == [(name, "5", "4")]
    found = _data(mw)["differences"]
    assert [(d.student, d.value, d.suggestion, d.period) for d in found] == [
        (name, "5", "4", "2 четверть")
    ]
    html = client_for("deputy").get(f"/reports/monitoring/?{QUERY}").content.decode()
    table = html.split("Отметки за период, отличающиеся от предложенных")[1].split("</table>")[0]
    link = f"/grading/course/{w.course_7a_math.pk}/?period={quarter.pk}"
    assert link in table and name in table and "Математика — 7А" in table
    assert client_for("deputy").get(link).status_code == 200  # the drill-down opens
    # The director's page shows them too: the count, the list and the same link.
    page = client_for("director").get(f"/reports/director/?{QUERY}").content.decode()
    table = page.split("Отметки за период, отличающиеся от предложенных")[1].split("</table>")[0]
    assert "1 отметка за период отличается от предложенной" in table
    assert link in table and name in table and "Математика — 7А" in table
    assert client_for("director").get(link).status_code == 200
    # A mark set to the suggestion leaves the list.
    PeriodMark.objects.filter(student=w.pupil_7a).update(value="4")
    assert _data(mw)["differences"] == []
    page = client_for("director").get(f"/reports/director/?{QUERY}").content.decode()
    assert link not in page and "Все отметки за период в диапазоне совпадают" in page
