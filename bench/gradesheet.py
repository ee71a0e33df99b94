"""Summary gradesheet (сводная ведомость) speed: one class × all subjects × a quarter, and the
whole school, against DESIGN §6 (class p95 ≤ 60 ms, whole school ≤ 700 ms). Run on demand:

    uv run python bench/gradesheet.py                     # SQLite in a temporary data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/otm_bench uv run python bench/gradesheet.py

It generates a demo school (`--classes-per-grade`, `--students`; the defaults give ~1,000
students, school-S), finished 1st quarter with period marks, then times the selector that the
page and the exports use (the HTTP page adds rendering: timed separately, as `page`).
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import percentile, setup_django

TODAY = datetime.date(2026, 12, 25)


def timed(run: Callable[[], object], rounds: int) -> tuple[float, float, int]:
    """p50 and p95 in ms over `rounds` runs (after one warm-up), and the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 50), percentile(samples, 95), len(ctx)


def floor(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """p50 and p95 ms of the database alone: the run's own SQL statements, executed raw."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run()
    statements = [q["sql"] for q in ctx.captured_queries]
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 50), percentile(samples, 95)


def _measured_class() -> tuple[object, object, object]:
    """(school, the largest class of the first school with classes, its latest started
    quarter or half-year) of the configured database."""
    from django.db.models import Count
    from django.utils import timezone

    from otmetka.reports.selectors import class_periods
    from otmetka.school.models import SchoolClass

    today = timezone.localdate()
    found = (
        SchoolClass.objects.filter(year__start__lte=today)
        .annotate(n=Count("enrollments"))
        .select_related("year", "school")
        .order_by("-year__start", "-n", "pk")
        .first()
    )
    if found is None:
        raise LookupError("no class in the database")
    periods = [p for p in class_periods(found) if p.start <= today] or class_periods(found)
    return found.school, found, periods[-1]


def _period_marks_ensure(school: object, period: object) -> int:
    """Give every student of every course of the school a period mark for `period` where
    none is entered (values by turns, as a teacher would), so the sheet reads a full term."""
    from otmetka.curriculum.models import AssessmentMode, Course, CourseKind
    from otmetka.grading.models import PeriodMark
    from otmetka.school.models import Enrollment

    taken = set(
        PeriodMark.objects.filter(period=period, is_deleted=False).values_list(
            "course_id", "student_id"
        )
    )
    courses = Course.objects.filter(school=school, kind=CourseKind.LESSON, year=period.year)
    courses = courses.exclude(assessment=AssessmentMode.NONE).exclude(school_class=None)
    roster: dict[int, list[int]] = {}
    for class_id, sid in Enrollment.objects.filter(
        school_class__school=school, school_class__year=period.year
    ).values_list("school_class_id", "student_id"):
        roster.setdefault(class_id, []).append(sid)
    author = PeriodMark._meta.get_field("created_by").related_model.objects.order_by("pk").first()
    values = {AssessmentMode.PASS_FAIL: ("зач", "зач", "незач")}
    rows = []
    for course in courses:
        cycle = values.get(course.assessment, ("5", "4", "4", "3", "5", "2"))
        for i, sid in enumerate(roster.get(course.school_class_id, [])):
            if (course.pk, sid) not in taken:
                value, suggested = cycle[i % len(cycle)], cycle[(i + 1) % len(cycle)]
                rows.append(PeriodMark(
                    school=school, student_id=sid, course=course, year=period.year,
                    period=period, value=value, suggested=suggested,
                    created_by=author, updated_by=author,
                ))  # fmt: skip
    PeriodMark.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


class _Rollback(Exception):
    pass


def measure(rounds: int = 200) -> list[dict]:
    """Rows for bench/run's table, measured in this process on the configured database: the
    summary gradesheet's selector (what the page, the XLSX and the PDF read) for the largest
    class × all subjects × its latest quarter, and for the whole school; missing period marks
    are added in a transaction rolled back at the end."""
    from django.db import transaction

    from otmetka.reports.selectors import class_sheet, school_sheets

    school, school_class, period = _measured_class()
    rows: list[dict] = []
    try:
        with transaction.atomic():
            _period_marks_ensure(school, period)
            for name, target, run, n in (
                ("gradesheet class", "p95 ≤ 60 ms",
                 lambda: class_sheet(school_class=school_class, asked=str(period.pk)), rounds),
                ("gradesheet school", "p95 ≤ 700 ms",
                 lambda: school_sheets(school=school, asked=str(period.pk)), max(5, rounds // 20)),
            ):  # fmt: skip
                p50, p95, queries = timed(run, n)
                rows.append({"name": name, "p50": p50, "p95": p95, "queries": queries,
                             "floor_p50": floor(run, n)[0], "target": target})  # fmt: skip
            raise _Rollback
    except _Rollback:
        pass
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes-per-grade", type=int, nargs=2, default=(3, 4))
    parser.add_argument("--students", type=int, default=27, help="students per class")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--data-dir", help="measure() only, on the demo in this OTMETKA_DATA_DIR")
    args = parser.parse_args()
    if args.data_dir:
        setup_django(args.data_dir)
        for row in measure(args.rounds):
            print(row)
        return
    with tempfile.TemporaryDirectory(prefix="otm-bench-") as data_dir:
        setup_django(data_dir if not os.environ.get("DATABASE_URL") else None)
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.test import Client

    from otmetka.demo.generator import generate
    from otmetka.grading.models import PeriodMark
    from otmetka.people.models import Student
    from otmetka.reports.selectors import class_sheet, school_sheets
    from otmetka.school.models import Period, SchoolClass

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo = generate(seed=2026, classes_per_grade=tuple(args.classes_per_grade),
                    students_per_class=args.students, today=TODAY)  # fmt: skip
    school = demo.schools[0]
    print(f"generated in {time.perf_counter() - started:.0f} s: "
          f"{Student.objects.filter(school=school).count()} students, "
          f"{PeriodMark.objects.filter(school=school).count()} period marks")  # fmt: skip
    q1 = Period.objects.get(school=school, scheme="quarters", number=1)
    seven = SchoolClass.objects.filter(school=school, grade=7).select_related("year").first()
    deputy = next(a.user for a in demo.accounts if a.key == "deputy")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(deputy)
    rows = [
        ("class 7 × all subjects × quarter (selector)", 60,
         lambda: class_sheet(school_class=seven, asked=str(q1.pk))),
        ("class 7 × all subjects × quarter (page)", 60,
         lambda: client.get(f"/reports/gradesheet/{seven.pk}/?period={q1.pk}")),
        ("class 7, XLSX", None, lambda: client.get(f"/reports/gradesheet/{seven.pk}/xlsx/")),
        ("class 7, PDF", None, lambda: client.get(f"/reports/gradesheet/{seven.pk}/pdf/")),
        ("whole school × quarter (selector)", 700,
         lambda: school_sheets(school=school, asked=str(q1.pk))),
    ]  # fmt: skip
    from django.db import connection

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"database: {connection.vendor}; {args.rounds} rounds; load average {load:.1f}\n")
    print("| request | p50 ms | p95 ms | queries | floor p50 ms (its SQL raw) | target p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, target, request in rows:
        rounds = args.rounds if "school" not in name else max(5, args.rounds // 5)
        p50, p95, queries = timed(request, rounds)
        if "selector" not in name:
            assert request().status_code == 200, name
        low = f"{floor(request, rounds)[0]:.1f}" if "selector" in name else "—"
        shown = queries if "selector" in name else "—"  # a request resets the query log
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {shown} | {low} | {target or '—'} |")


if __name__ == "__main__":
    main()
