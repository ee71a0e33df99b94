"""The diary's hot reads against DESIGN.md §6, on the demo school: a parent's week (selector and
whole page) and the homeroom teacher's class summary, each beside its floor — the same data by
one hand-written SQL query on the raw cursor, dumped with orjson. Prints numbers; asserts nothing.

    uv run python bench/diary.py                       # a fresh demo school in a temporary dir
    uv run python bench/diary.py --data-dir /tmp/otm   # an existing demo database (otmetka demo)
    DATABASE_URL=postgres://…/otm_bench uv run python bench/diary.py

Targets: a parent's week p95 ≤ 25 ms and ≤ 10× its floor; a class summary p95 ≤ 60 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any

from _common import percentile, setup_django

WEEK_SQL = """
SELECT l.id, l.date, l.bell_number, l.starts_at, l.ends_at, l.room, l.topic, l.homework,
       l.status, subj.name, su.last_name, su.first_name, m.value, mk.name, mk.weight, m.comment,
       ac.code, a.minutes_late, f.id, f.name
  FROM journal_lesson l
  JOIN curriculum_course c ON c.id = l.course_id
  JOIN curriculum_subject subj ON subj.id = c.subject_id
  LEFT JOIN journal_substitution s ON s.lesson_id = l.id
  LEFT JOIN accounts_user su ON su.id = s.substitute_id
  LEFT JOIN journal_mark m ON m.lesson_id = l.id AND m.student_id = %s AND m.is_deleted = %s
  LEFT JOIN journal_markkind mk ON mk.id = m.kind_id
  LEFT JOIN journal_absence a ON a.lesson_id = l.id AND a.student_id = %s
  LEFT JOIN journal_absencecode ac ON ac.id = a.code_id
  LEFT JOIN journal_homeworkfile f ON f.lesson_id = l.id
 WHERE l.school_id = %s AND l.date >= %s AND l.date <= %s
   AND ((c.name = '' AND c.school_class_id IN (
           SELECT e.school_class_id FROM school_enrollment e
            WHERE e.student_id = %s AND e.start <= %s AND (e."end" IS NULL OR e."end" >= %s)))
        OR c.id IN (SELECT cm.course_id FROM curriculum_coursemember cm WHERE cm.student_id = %s))
 ORDER BY l.date, l.bell_number, l.id
"""

SUMMARY_SQL = """
SELECT m.student_id, l.course_id, m.value, mk.weight
  FROM journal_mark m
  JOIN journal_lesson l ON l.id = m.lesson_id
  JOIN curriculum_course c ON c.id = l.course_id
  JOIN journal_markkind mk ON mk.id = m.kind_id
 WHERE c.school_class_id = %s AND l.date >= %s AND l.date <= %s AND m.is_deleted = %s
"""


def _raw(sql: str, params: list) -> list[tuple]:
    from django.db import connection

    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _time(fn: Callable[[int], Any], rounds: int) -> list[float]:
    fn(0)  # warm up
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def _prepare(data_dir: str, students_per_class: int) -> Any:
    """The demo school in `data_dir` (generated when the database has none)."""
    setup_django(data_dir)
    from django.core.management import call_command

    from otmetka.demo.generator import generate
    from otmetka.demo.selectors import demo_school

    call_command("migrate", interactive=False, verbosity=0)
    if demo_school() is None:
        print("Generating the demo school…", flush=True)
        generate(students_per_class=students_per_class)
    return demo_school()


def _weeks(today: datetime.date) -> list[datetime.date]:
    """The Mondays of the eight weeks before today's (they hold marks and homework)."""
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(1, 9)]


def measure(rounds: int) -> list[dict[str, Any]]:
    """The rows of the report."""
    import orjson
    from django.test import Client
    from django.utils import timezone

    from otmetka.demo.selectors import demo_school, demo_users
    from otmetka.diary.classes import class_summary
    from otmetka.diary.selectors import diary_reader, diary_week
    from otmetka.school.models import SchoolClass

    school = demo_school()
    users = demo_users(school=school)
    parent, homeroom = users["guardian"], users["homeroom"]
    student = diary_reader(user=users["student"]).current
    weeks = _weeks(timezone.localdate())
    school_class = SchoolClass.objects.filter(homeroom_teacher=homeroom).first()

    def floor_week(i: int) -> bytes:
        monday = weeks[i % len(weeks)]
        end = monday + datetime.timedelta(days=5)
        rows = _raw(
            WEEK_SQL,
            [
                student.pk,
                False,
                student.pk,
                school.pk,
                monday,
                end,
                student.pk,
                end,
                monday,
                student.pk,
            ],
        )
        return orjson.dumps(rows, default=str)

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(parent)
    client.post("/diary/child/", {"student": student.pk})
    assert client.get("/diary/").status_code == 200
    summary = class_summary(school_class=school_class)
    period = summary["period"]
    rows = []
    for name, fn, floor, count in (
        (
            "diary week (selector)",
            lambda i: diary_week(student=student, day=weeks[i % len(weeks)]),
            floor_week,
            lambda: diary_week(student=student, day=weeks[0]),
        ),
        (
            "diary week (page, parent)",
            lambda i: client.get(f"/diary/?date={weeks[i % len(weeks)]}"),
            floor_week,
            lambda: client.get(f"/diary/?date={weeks[0]}"),
        ),
        (
            f"class summary ({school_class}, {len(summary['rows'])} students)",
            lambda i: class_summary(school_class=school_class),
            lambda i: orjson.dumps(
                _raw(SUMMARY_SQL, [school_class.pk, period.start, period.end, False]),
                default=str,
            ),
            lambda: class_summary(school_class=school_class),
        ),
    ):
        times, floors = _time(fn, rounds), _time(floor, rounds)
        rows.append(
            {
                "name": name,
                "p50": percentile(times, 50),
                "p95": percentile(times, 95),
                "queries": _queries(count),
                "floor": percentile(floors, 50),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="an OTMETKA_DATA_DIR with the demo (default: a new one)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--students-per-class", type=int, default=25)
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="otmetka-bench-diary-")
    _prepare(data_dir, args.students_per_class)
    from django.db import connection

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database: {connection.vendor}, data dir: {data_dir}, rounds: {args.rounds}, "
        f"load average: {load:.1f} on {os.cpu_count()} CPUs (a busy machine slows both sides)"
    )
    print(f"{'request':<42} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'floor':>7} {'×floor':>7}")
    for r in measure(args.rounds):
        ratio = r["p50"] / r["floor"] if r["floor"] else float("nan")
        print(
            f"{r['name']:<42} {r['p50']:>7.2f} {r['p95']:>7.2f} {r['queries']:>7} "
            f"{r['floor']:>7.2f} {ratio:>7.1f}"
        )
    print("targets: diary week p95 ≤ 25 ms and ≤ 10× floor; class summary p95 ≤ 60 ms")


if __name__ == "__main__":
    main()
