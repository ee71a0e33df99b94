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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes-per-grade", type=int, nargs=2, default=(3, 4))
    parser.add_argument("--students", type=int, default=27, help="students per class")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
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
