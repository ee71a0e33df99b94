"""The deputy's monitoring of journal keeping: the whole school × its current quarter, against
the target of issue 14 (p95 ≤ 150 ms on school-S). Run on demand:

    uv run python bench/monitoring.py                     # SQLite in a temporary data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/otm_bench uv run python bench/monitoring.py
    uv run python bench/monitoring.py --data-dir /tmp/otm-x   # on a demo already generated there

It generates a demo school (`--classes-per-grade`, `--students`; the defaults give ~1,000
students, school-S), then times the selector the page, the director's page and the XLSX read
(`monitoring school quarter`), and the HTTP page as the deputy (`monitoring page`).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django
from gradesheet import floor, timed

TARGET = "p95 ≤ 150 ms"


def _setting() -> tuple[Any, Any, Any] | None:
    """(school, its current quarter as a Range, a deputy of it) of the first school with classes
    in the configured database (a deputy is made when the school has none; bench/run rolls the
    measurement's transaction back)."""
    from django.utils import timezone

    from otmetka.access.models import Role, RoleMembership
    from otmetka.accounts.models import User
    from otmetka.reports.monitoring import default_range, school_periods
    from otmetka.school.models import SchoolClass

    first = SchoolClass.objects.select_related("school").order_by("school_id").first()
    if first is None:
        return None
    school = first.school
    rng = default_range(school_periods(school), timezone.localdate())
    found = RoleMembership.objects.filter(school=school, role=Role.DEPUTY).first()
    if found is not None:  # a deputy who has logged in before (else the page redirects)
        User.objects.filter(pk=found.user_id).update(must_change_password=False)
        return school, rng, found.user
    user = User.objects.create(username="bench-monitoring-deputy", last_name="Завуч")
    RoleMembership.objects.create(user=user, role=Role.DEPUTY, school=school)
    return school, rng, user


def measure(rounds: int = 200) -> list[dict[str, Any]]:
    """Rows for bench/run's table, measured in this process on the configured database: the
    monitoring selector for the school's current quarter (with its floor: the same SQL run raw)
    and the page over Django's test client. Never asserts; no rows without data."""
    from django.test import Client

    from otmetka.reports.monitoring import monitoring

    found = _setting()
    if found is None:
        return []
    school, rng, deputy = found
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(deputy)
    query = f"/reports/monitoring/?start={rng.start.isoformat()}&end={rng.end.isoformat()}"
    n = max(5, rounds // 4)
    rows = []
    for name, run in (
        ("monitoring school quarter", lambda: monitoring(school=school, rng=rng)),
        ("monitoring page", lambda: client.get(query)),
    ):
        p50, p95, queries = timed(run, n)
        low = floor(run, n)[0] if name.endswith("quarter") else None
        rows.append({"name": name, "p50": p50, "p95": p95, "queries": queries,
                     "floor_p50": low, "target": TARGET})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes-per-grade", type=int, nargs=2, default=(3, 4))
    parser.add_argument("--students", type=int, default=27, help="students per class")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--data-dir", help="measure() only, on the demo in this OTMETKA_DATA_DIR")
    args = parser.parse_args()
    if args.data_dir:
        setup_django(args.data_dir)
        _print(measure(args.rounds))
        return
    with tempfile.TemporaryDirectory(prefix="otm-bench-") as data_dir:
        setup_django(data_dir if not os.environ.get("DATABASE_URL") else None)
        from django.core.management import call_command

        from otmetka.demo.generator import generate

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        generate(seed=2026, classes_per_grade=tuple(args.classes_per_grade),
                 students_per_class=args.students)  # fmt: skip
        print(f"generated in {time.perf_counter() - started:.0f} s")
        from django.db import connection

        if connection.vendor == "postgresql":  # a server gathers statistics (autovacuum); a
            with connection.cursor() as cursor:  # fresh bench database has none until ANALYZE
                cursor.execute("ANALYZE")
        _print(measure(args.rounds))


def _print(rows: list[dict[str, Any]]) -> None:
    from django.db import connection

    print(f"database: {connection.vendor}\n")
    print("| request | p50 ms | p95 ms | queries | floor p50 ms (its SQL raw) | target |")
    print("|---|---:|---:|---:|---:|---|")
    for r in rows:
        low = f"{r['floor_p50']:.1f}" if r["floor_p50"] is not None else "—"
        print(f"| {r['name']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} | {low} | "
              f"{r['target']} |")  # fmt: skip


if __name__ == "__main__":
    main()
