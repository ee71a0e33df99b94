"""The diary's hot reads against DESIGN.md §6, on the demo school: a parent's week (selector and
whole page) and the homeroom teacher's class summary, each beside its floor — the same data by
one hand-written SQL query on the raw cursor, dumped with orjson. Prints numbers; asserts nothing.

    uv run python bench/diary.py                       # a fresh demo school in a temporary dir
    uv run python bench/diary.py --data-dir /tmp/otm   # an existing demo database (otmetka demo)
    uv run python bench/diary.py --data-dir /tmp/otm-s --loaded  # a loaded `otmetka dataset`
    DATABASE_URL=postgres://…/otm_bench uv run python bench/diary.py

Targets: a parent's week p95 ≤ 25 ms and ≤ 10× its floor; a class summary p95 ≤ 60 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any

import time_machine
from _common import NOW, percentile, setup_django

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


def _setting() -> tuple[Any, Any, datetime.date] | None:
    """What to measure on whatever data is loaded: the class with today's enrollment closest to
    30 (the largest school's when several), its first student by name, and the Monday of last
    week (a full week of lessons, marks and homework). None without any enrolled student."""
    from django.db.models import Count
    from django.utils import timezone

    from otmetka.school.models import Enrollment, SchoolClass

    today = timezone.localdate()
    current = Enrollment.objects.filter(start__lte=today).exclude(end__lt=today)
    sizes = list(current.values("school_class_id").annotate(n=Count("pk")))
    if not sizes:
        return None
    best = min(sizes, key=lambda r: (abs(r["n"] - 30), r["school_class_id"]))
    school_class = SchoolClass.objects.select_related("school").get(pk=best["school_class_id"])
    student = (
        current.filter(school_class=school_class)
        .select_related("student__school")
        .order_by("student__last_name", "student__first_name", "student__pk")
        .first()
        .student  # type: ignore[union-attr]
    )
    monday = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=1)
    return school_class, student, monday


def _guardian_client(student: Any) -> Any:
    """A test client logged in as a guardian of the student (created: roll back after)."""
    from django.test import Client

    from otmetka.accounts.models import User
    from otmetka.people.models import Guardian

    user = User.objects.create(username=f"bench-parent-{student.pk}", last_name="Бенчева")
    Guardian.objects.create(school_id=student.school_id, student=student, user=user)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def _row(name: str, target: str, fn: Callable[[int], Any], floor: Callable[[int], Any] | None,
         count: Callable[[], Any], rounds: int) -> dict[str, Any]:  # fmt: skip
    times = _time(fn, rounds)
    floors = _time(floor, rounds) if floor is not None else None
    return {
        "name": name,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "queries": _queries(count),
        "floor_p50": percentile(floors, 50) if floors else None,
        "target": target,
    }


def measure(rounds: int = 200, page: bool = False) -> list[dict[str, Any]]:
    """Rows for bench/run's table, measured in this process on the configured database: "diary
    week" (the week selector of a student of the class closest to 30) and "class summary" (that
    class × all subjects), each beside its floor (one hand-written query, dumped with orjson).
    `page`: also the whole week page as a guardian (created in a transaction rolled back at the
    end). Never asserts; no rows without data."""
    import orjson
    from django.db import transaction

    from otmetka.diary.classes import class_summary
    from otmetka.diary.selectors import diary_week

    found = _setting()
    if found is None:
        return []
    school_class, student, monday = found
    end = monday + datetime.timedelta(days=5)
    week_params = [student.pk, False, student.pk, student.school_id, monday, end, student.pk,
                   end, monday, student.pk]  # fmt: skip
    summary = class_summary(school_class=school_class)
    period = summary["period"]
    rows = [
        _row(
            "diary week",
            "p95 ≤ 25 ms, ≤ 10× floor",
            lambda i: diary_week(student=student, day=monday),
            lambda i: orjson.dumps(_raw(WEEK_SQL, week_params), default=str),
            lambda: diary_week(student=student, day=monday),
            rounds,
        ),
        _row(
            "class summary",
            f"p95 ≤ 60 ms ({len(summary['rows'])} students × {len(summary['courses'])} courses)",
            lambda i: class_summary(school_class=school_class),
            (
                lambda i: orjson.dumps(
                    _raw(SUMMARY_SQL, [school_class.pk, period.start, period.end, False]),
                    default=str,
                )
            )
            if period is not None
            else None,
            lambda: class_summary(school_class=school_class),
            rounds,
        ),
    ]
    if page:
        with transaction.atomic():
            client = _guardian_client(student)
            url = f"/diary/?date={monday:%Y-%m-%d}"
            client.get(url)  # the first visit ever creates the visit's row
            rows.append(_row("diary week (page, guardian)", "—", lambda i: client.get(url), None,
                             lambda: client.get(url), rounds))  # fmt: skip
            transaction.set_rollback(True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="an OTMETKA_DATA_DIR with the demo (default: a new one)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--students-per-class", type=int, default=25)
    parser.add_argument(
        "--loaded", action="store_true", help="measure the data already in --data-dir as it is"
    )
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="otmetka-bench-diary-")
    if args.loaded:
        setup_django(data_dir)
    else:
        _prepare(data_dir, args.students_per_class)
    from django.db import connection

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database: {connection.vendor}, data dir: {data_dir}, rounds: {args.rounds}, "
        f"load average: {load:.1f} on {os.cpu_count()} CPUs (a busy machine slows both sides)"
    )
    print(f"{'request':<42} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'floor':>7} {'×floor':>7}")
    # A loaded dataset (otmetka dataset … --today 2027-05-21) is read on bench/run's clock.
    clock = time_machine.travel(NOW, tick=True) if args.loaded else contextlib.nullcontext()
    with clock:
        rows = measure(args.rounds, page=True)
    for r in rows:
        floor = r["floor_p50"]
        ratio = r["p50"] / floor if floor else float("nan")
        print(
            f"{r['name']:<42} {r['p50']:>7.2f} {r['p95']:>7.2f} {r['queries']:>7} "
            f"{floor or float('nan'):>7.2f} {ratio:>7.1f}  {r['target']}"
        )
    print("targets: diary week p95 ≤ 25 ms and ≤ 10× floor; class summary p95 ≤ 60 ms")


if __name__ == "__main__":
    main()
