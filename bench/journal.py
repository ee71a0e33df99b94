"""How fast the class journal answers on a class with a full year of data.

    uv run python bench/journal.py [--rounds 50] [--saves 20] [--seed 2026]

Builds, through the demo generator, one school (one class per grade, 30 students a class) whose
year has run up to mid-May: every lesson of the year, its topics, homework, marks and absences,
in a throw-away SQLite database (or the empty database named by DATABASE_URL). Then, in-process
with Django's test client logged in as the teacher of the course with the most hours a week of
the quarter-scheme class closest to 30 students (about 40 lessons in the 4th quarter), measures
server time and query counts of:

- the grid JSON, GET /api/v1/journal/{course}?period={period};
- the grid page, GET /journal/{course}/?period={period};
- one mark saved, POST /api/v1/lessons/{lesson}/cells with one cell;
- a whole column saved, the same POST with a mark for each of the class's students.

Prints a Markdown table with the targets of DESIGN.md §6 beside the figures (docs/benchmarks.md).
Run on demand; never part of the test suite.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The school's clock during the run: a Friday of the 4th quarter, the period open for the teacher.
NOW = datetime.datetime(2027, 5, 14, 9, 0, tzinfo=datetime.UTC)
CLASS_SIZE = 30


@dataclass
class Row:
    """One measured request."""

    name: str
    target: str
    times: list[float]
    queries: list[int]
    sql: list[str]
    failures: int = 0

    def p(self, q: int) -> float:
        """The q-th percentile in milliseconds."""
        if len(self.times) == 1:
            return self.times[0]
        return statistics.quantiles(self.times, n=100, method="inclusive")[q - 1]


def _setup_django(data_dir: str) -> None:
    os.environ["OTMETKA_DATA_DIR"] = data_dir
    Path(data_dir, "static").mkdir(exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, as in the test suite


def _build(seed: int) -> dict[str, Any]:
    """Migrate, generate the school, pick the class and the course; facts for the report."""
    from django.core.management import call_command

    from otmetka.curriculum.models import AssessmentMode, Course
    from otmetka.demo.generator import generate
    from otmetka.journal.models import Absence, Lesson, Mark
    from otmetka.school.models import Enrollment, PeriodScheme, School

    call_command("migrate", verbosity=0)
    if School.objects.exists():
        sys.exit("The database already holds schools: give the benchmark an empty one.")
    started = time.perf_counter()
    generate(
        seed=seed,
        classes_per_grade=(1, 1),
        students_per_class=CLASS_SIZE,
        today=NOW.date(),
    )
    seconds = time.perf_counter() - started
    # The class closest to 30 students, and its course with the most hours a week.
    sizes = Counter(
        Enrollment.objects.filter(school_class__period_scheme=PeriodScheme.QUARTERS).values_list(
            "school_class_id", flat=True
        )
    )
    class_id = min(sizes, key=lambda c: (abs(sizes[c] - CLASS_SIZE), c))
    course = (
        Course.objects.filter(school_class_id=class_id, assessment=AssessmentMode.POINTS_2_5)
        .select_related("school_class", "year")
        .order_by("-hours_per_week", "subject__position")
        .first()
    )
    teacher = course.teachers.get()
    teacher.must_change_password = False  # a teacher who has logged in before
    teacher.save(update_fields=["must_change_password"])
    return {
        "course": course,
        "generation_s": seconds,
        "lessons": Lesson.objects.count(),
        "marks": Mark.objects.count(),
        "absences": Absence.objects.count(),
        "students": Enrollment.objects.filter(school_class=course.school_class_id).count(),
    }


def _measure(
    name: str, target: str, rounds: int, request: Callable[[int], Any], ok: Callable[[Any], bool]
) -> Row:
    """Time `request(i)` for i in 0..rounds (after one warm-up) and count its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request(-1)
    row = Row(name, target, [], [], sql=[])
    for i in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request(i)
            row.times.append((time.perf_counter() - started) * 1000)
        row.queries.append(len(captured.captured_queries))
        row.sql = [q["sql"] for q in captured.captured_queries]
        if not ok(response):
            row.failures += 1
            if row.failures == 1:
                print(f"{name}: {response.status_code} {response.content[:300]!r}", file=sys.stderr)
    return row


def _run(facts: dict[str, Any], rounds: int, saves: int) -> list[Row]:
    """The four measured requests."""
    from django.test import Client

    from otmetka.journal.models import Lesson, MarkKind
    from otmetka.school.models import Enrollment, Period

    course = facts["course"]
    teacher = course.teachers.get()
    period = Period.objects.get(
        year=course.year,
        scheme=course.school_class.period_scheme,
        start__lte=NOW.date(),
        end__gte=NOW.date(),
    )
    client = Client()
    client.force_login(teacher)
    students = list(
        Enrollment.objects.filter(school_class=course.school_class_id).values_list(
            "student_id", flat=True
        )
    )
    kind = MarkKind.objects.get(school=course.school, name="Самостоятельная работа").pk
    held = list(
        Lesson.objects.filter(course=course, date__gte=period.start, date__lt=NOW.date())
        .order_by("-date", "-bell_number")
        .values_list("pk", flat=True)
    )
    facts["period"] = f"{period} ({period.start:%d.%m}–{period.end:%d.%m.%Y})"
    facts["period_lessons"] = Lesson.objects.filter(
        course=course, date__range=(period.start, period.end)
    ).count()

    def grid_json(_i: int) -> Any:
        return client.get(f"/api/v1/journal/{course.pk}?period={period.pk}")

    def grid_page(_i: int) -> Any:
        return client.get(f"/journal/{course.pk}/?period={period.pk}")

    def save(i: int, who: list[int]) -> Any:
        lesson = held[(i + 1) % len(held)]
        changes = [
            {"student": s, "marks": [{"value": "4", "kind": kind}], "absence": None} for s in who
        ]
        return client.post(
            f"/api/v1/lessons/{lesson}/cells",
            json.dumps({"changes": changes}),
            content_type="application/json",
        )

    def one_mark(i: int) -> Any:
        return save(i, [students[i % len(students)]])

    def column(i: int) -> Any:
        return save(i, students)

    def saved(response: Any) -> bool:
        return response.status_code == 200 and response.json().get("ok") is True

    def shown(response: Any) -> bool:
        return response.status_code == 200

    return [
        _measure(
            "grid JSON (GET /api/v1/journal/…)",
            "p95 ≤ 40 ms, ≤ 6 queries",
            rounds,
            grid_json,
            shown,
        ),
        _measure(
            "grid page (GET /journal/…/)",
            "p95 ≤ 40 ms (same request class)",
            rounds,
            grid_page,
            shown,
        ),
        _measure("one mark (POST …/cells, 1 cell)", "p95 ≤ 20 ms", saves, one_mark, saved),
        _measure(
            f"column ({len(students)} cells, one POST)",
            "p95 ≤ 20 ms; ≥ 300 marks/s",
            saves,
            column,
            saved,
        ),
    ]


def _report(facts: dict[str, Any], rows: list[Row], database: str) -> str:
    """Markdown: the data, then the table."""
    course = facts["course"]
    lines = [
        f"Database: {database}; Python {platform.python_version()}; {os.cpu_count()} CPU cores.",
        f"Data: {facts['lessons']} lessons, {facts['marks']} marks, {facts['absences']} absences "
        f"in one school (generated in {facts['generation_s']:.1f} s).",
        f"Journal: {course} ({facts['students']} students), {facts['period']}, "
        f"{facts['period_lessons']} lessons.",
        "",
        "| request | p50 ms | p95 ms | max ms | queries | failures | target (DESIGN.md §6) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        queries = sorted(set(row.queries))
        shown = str(queries[0]) if len(queries) == 1 else f"{queries[0]}–{queries[-1]}"
        lines.append(
            f"| {row.name} | {row.p(50):.1f} | {row.p(95):.1f} | {max(row.times):.1f} | "
            f"{shown} | {row.failures} | {row.target} |"
        )
    column = rows[-1]
    rate = facts["students"] / (statistics.median(column.times) / 1000)
    lines += ["", f"Column save throughput: {rate:.0f} marks/s (median)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=50, help="GET requests of each kind")
    parser.add_argument("--saves", type=int, default=20, help="POST requests of each kind")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sql", action="store_true", help="print the queries of each request")
    args = parser.parse_args()
    import time_machine

    with tempfile.TemporaryDirectory(prefix="otmetka-bench-") as data_dir:
        _setup_django(data_dir)
        from django.db import connection

        database = connection.vendor
        with time_machine.travel(NOW, tick=True):
            facts = _build(args.seed)
            rows = _run(facts, args.rounds, args.saves)
        print(_report(facts, rows, database))
        if args.sql:
            for row in rows:
                print(f"\n{row.name}:", *(f"  {q[:160]}" for q in row.sql), sep="\n")


if __name__ == "__main__":
    main()
