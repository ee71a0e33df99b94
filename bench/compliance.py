"""Journal timeliness speed (issue 14): the region/district dashboard read from the rollups
(DESIGN §6: p95 ≤ 100 ms for 500+ schools) and a raw recompute of one school's week (≤ 2 s on
PostgreSQL). Run on demand:

    uv run python bench/compliance.py                       # SQLite in a temporary data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/otm_bench uv run python bench/compliance.py
    DATABASE_URL=postgres://…/otm_region_m uv run python bench/compliance.py --reuse [--recompute]
    DATABASE_URL=postgres://…/otm_region_m uv run python bench/compliance.py --reuse --staleness 60

Standalone it builds a synthetic region (`--schools` 530 × `--courses` 60 courses, a week of
rollups per course and day: 530 × 60 × 5 = 159,000 rows, the real shape of region-M's week, and
their per-(school, day) sums, 530 × 5 = 2,650 rows, which the dashboard reads) and
one small generated school for the recompute. Inside `bench/run` (`measure`) it times the same on
the loaded dataset. Each row is printed beside its floor: the same SQL executed raw. `--reuse`
measures the database of DATABASE_URL as loaded by `otmetka dataset` (region-M: its real
rollups), the clock at bench/run's NOW; with `--recompute` it first recomputes and keeps every
school's rollups of last week (as `otmetka compliance_recompute` does, school by school) and
prints the time per school by size and for the whole region. `--staleness SAVES` (with `--reuse`)
measures how long a teacher's entry takes to reach the dashboards: SAVES topics of today's lessons
(of `--staleness-schools` schools), saved by their teachers through the service and spread over
`--staleness-seconds`, while the worker's rollup refresh runs on its thread every
`ROLLUP_EVERY` seconds; each save's delay is the time until its (course, day) rollup was computed
after it. The topics stay saved (audited, as a teacher's): the dataset changes by those lessons.
"""

import argparse
import datetime
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django
from gradesheet import floor, timed

TODAY = datetime.date(2026, 11, 18)


def _viewer(username: str | None = None) -> Any:
    """A region viewer (the given one: the synthetic region's, not the demo's smaller region)."""
    from otmetka.access.models import Role, RoleMembership

    found = RoleMembership.objects.filter(role=Role.REGION_VIEWER).select_related("user")
    if username is not None:
        found = found.filter(user__username=username)
    found = found.first()
    if found is None:
        raise LookupError("no region viewer in the database")
    return found.user


def _dashboard_row(
    rounds: int, today: datetime.date, username: str | None = None
) -> dict[str, Any]:
    from otmetka.compliance.selectors import last_week, region_dashboard

    viewer = _viewer(username)
    start, end = last_week(today)

    def run() -> object:
        return region_dashboard(user=viewer, start=start, end=end, sort="topic", desc=True)

    p50, p95, queries = timed(run, rounds)
    f50, _f95 = floor(run, rounds)
    return {"name": "region timeliness dashboard (rollups)", "p50": p50, "p95": p95,
            "queries": queries, "floor_p50": f50, "target": "p95 ≤ 100 ms"}  # fmt: skip


def _recompute_row(rounds: int, today: datetime.date) -> dict[str, Any]:
    from otmetka.compliance.rollups import rollups_refresh
    from otmetka.compliance.selectors import last_week
    from otmetka.journal.models import Lesson

    school_id = (
        Lesson.objects.filter(date__lte=today).values_list("school_id", flat=True).order_by("-date")
    ).first()
    from otmetka.school.models import School

    school = School.objects.get(pk=school_id)
    start, end = last_week(today)

    def run() -> object:
        return rollups_refresh(school=school, start=start, end=end)

    p50, p95, queries = timed(run, max(3, rounds // 20))
    return {"name": "rollup recompute, one school's week", "p50": p50, "p95": p95,
            "queries": queries, "floor_p50": None, "target": "≤ 2 s (PostgreSQL)"}  # fmt: skip


def _print(row: dict[str, Any]) -> None:
    floor_text = f"{row['floor_p50']:.1f}" if row["floor_p50"] is not None else "—"
    print(
        f"{row['name']:45} p50 {row['p50']:8.1f} ms  p95 {row['p95']:8.1f} ms  "
        f"queries {row['queries']}  floor p50 {floor_text} ms  target {row['target']}"
    )


def _recompute_region(today: datetime.date) -> None:
    """Recompute (and keep) every school's rollups of last week, timed school by school."""
    import os
    import time
    from collections import defaultdict

    from _common import percentile
    from django.db.models import Count

    from otmetka.compliance.rollups import rollups_recompute
    from otmetka.compliance.selectors import last_week
    from otmetka.school.models import School

    start, end = last_week(today)
    by_size: dict[str, list[float]] = defaultdict(list)
    rows = 0
    wall, cpu = time.perf_counter(), time.process_time()
    schools = School.objects.annotate(classes=Count("schoolclass")).order_by("pk")
    for school in schools:
        began = time.perf_counter()
        rows += rollups_recompute(school=school, start=start, end=end)
        size = "≥ 30 classes" if school.classes >= 30 else f"{school.classes // 10 * 10}+ classes"
        by_size[size].append((time.perf_counter() - began) * 1000)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"recompute of {start:%d.%m}–{end:%d.%m.%Y}: {rows} rollup rows, {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU of this process, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for size, times in sorted(by_size.items()):
        print(f"  {size:>14}: {len(times)} schools, per school p50 {percentile(times, 50):.0f} ms, "
              f"p95 {percentile(times, 95):.0f} ms, max {max(times):.0f} ms")  # fmt: skip


def measure(rounds: int = 200) -> list[dict[str, Any]]:
    """The rows of bench/run on the loaded dataset (today: its frozen day)."""
    from django.utils import timezone

    today = timezone.localdate()
    return [_dashboard_row(rounds, today), _recompute_row(rounds, today)]


def _synthetic_region(schools: int, courses: int, today: datetime.date) -> None:
    """A region of `schools` schools with `courses` courses each and a week of rollups."""
    import random

    from otmetka.access.models import Role, RoleMembership
    from otmetka.accounts.models import User
    from otmetka.compliance.models import DayRollup
    from otmetka.compliance.rollups import COUNTS, school_days_refresh
    from otmetka.compliance.selectors import last_week
    from otmetka.curriculum.models import Course, Subject
    from otmetka.school.models import AcademicYear, District, Region, School

    rng = random.Random(14)
    region = Region.objects.create(name="Синтетический регион", code="99")
    districts = District.objects.bulk_create(
        District(region=region, name=f"Район {i:02d}") for i in range(25)
    )
    made = School.objects.bulk_create(
        School(district=districts[i % 25], name=f"Школа {i}", short_name=f"Школа {i}")
        for i in range(schools)
    )
    years = AcademicYear.objects.bulk_create(
        AcademicYear(school=s, name="2026/2027", start=datetime.date(2026, 9, 1),
                     end=datetime.date(2027, 5, 26)) for s in made
    )  # fmt: skip
    subjects = Subject.objects.bulk_create(Subject(school=s, name="Предмет") for s in made)
    triples = zip(made, years, subjects, strict=True)
    rows = Course.objects.bulk_create(
        (Course(school=s, year=y, subject=sub) for s, y, sub in triples for _ in range(courses)),
        batch_size=2000,
    )
    start, _end = last_week(today)
    now = datetime.datetime.now(datetime.UTC)
    batch = []
    for course in rows:
        for d in range(5):
            lessons = rng.randint(1, 2)
            counts = dict.fromkeys(COUNTS, 0)
            for prefix in ("topic", "homework", "attendance"):
                on_time = rng.randint(0, lessons)
                counts[f"{prefix}_on_time"] = on_time
                counts[f"{prefix}_late"] = lessons - on_time
            batch.append(DayRollup(school_id=course.school_id, course=course, lessons=lessons,
                                   day=start + datetime.timedelta(days=d), computed_at=now,
                                   **counts))  # fmt: skip
    DayRollup.objects.bulk_create(batch, batch_size=5000)
    school_days_refresh(start=start, end=start + datetime.timedelta(days=4))  # as the worker
    user = User.objects.create(username="region-bench", last_name="Регионов")
    RoleMembership.objects.create(user=user, role=Role.REGION_VIEWER, region=region)
    print(f"synthetic region: {schools} schools, {len(rows)} courses, {len(batch)} rollup rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=530)
    parser.add_argument("--courses", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="measure DATABASE_URL as loaded")
    parser.add_argument("--recompute", action="store_true", help="--reuse: recompute last week")
    parser.add_argument(
        "--staleness", type=int, default=0, metavar="SAVES",
        help="--reuse: SAVES topic saves against the worker's rollup thread",
    )  # fmt: skip
    parser.add_argument("--staleness-schools", type=int, default=50)
    parser.add_argument("--staleness-seconds", type=float, default=60.0)
    args = parser.parse_args()
    if args.reuse:
        _reuse(args.rounds, args.recompute)
        if args.staleness:
            _staleness(args.staleness, args.staleness_schools, args.staleness_seconds)
        return
    setup_django(tempfile.mkdtemp(prefix="otm-bench-compliance-"))
    import time_machine
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, tzinfo=datetime.UTC), tick=True):
        from otmetka.demo.generator import generate

        generate(seed=5, classes_per_grade=(1, 1), students_per_class=20, today=TODAY)
        _synthetic_region(args.schools, args.courses, TODAY)
        print(f"database: {connection.vendor}")
        dashboard = _dashboard_row(args.rounds, TODAY, "region-bench")  # the synthetic region
        for row in (dashboard, _recompute_row(args.rounds, TODAY)):
            _print(row)


def _reuse(rounds: int, recompute: bool) -> None:
    """The rows on the loaded database, the clock at bench/run's NOW."""
    import os

    import time_machine
    from _common import NOW

    setup_django()
    with time_machine.travel(NOW, tick=True):
        from django.db import connection

        from otmetka.compliance.models import DayRollup
        from otmetka.compliance.selectors import last_week

        today = NOW.date()
        if recompute:
            _recompute_region(today)
        start, end = last_week(today)
        kept = DayRollup.objects.filter(day__range=(start, end)).count()
        print(f"database: {connection.vendor}, rollup rows of last week: {kept}, "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        _print(_dashboard_row(rounds, today))
        print(f"load average after: {os.getloadavg()[0]:.1f}")


def _staleness(saves: int, schools: int, seconds: float) -> None:
    """Topic saves spread over `seconds` against the worker's rollup thread (its period); the
    delay from each save to the computation of its (course, day) rollup, and the refreshes."""
    import os
    import random
    import threading
    import time

    import time_machine
    from _common import NOW, percentile
    from django.db import connections
    from django.db.models import Max
    from django.utils import timezone

    from otmetka.compliance.models import DayRollup
    from otmetka.journal import services
    from otmetka.journal.models import Lesson
    from otmetka.messaging.management.commands import worker

    rng = random.Random(14)
    # After every rollup already computed (an earlier run's ticks, at its own ticking clock):
    # a save must not be "seen" in a row computed later by that clock but before the save.
    latest = DayRollup.objects.aggregate(at=Max("computed_at"))["at"]
    start = max(NOW, latest + datetime.timedelta(seconds=1)) if latest is not None else NOW
    with time_machine.travel(start, tick=True):
        today = timezone.localdate()
        open_ = Lesson.objects.filter(date=today, topic="", course__kind="lesson").exclude(
            status=Lesson.Status.CANCELLED
        )
        ids = sorted(set(open_.values_list("school_id", flat=True)))
        chosen = rng.sample(ids, min(schools, len(ids)))
        pool = list(open_.filter(school_id__in=chosen).values_list("pk", flat=True))
        picked = Lesson.objects.filter(pk__in=rng.sample(pool, min(saves, len(pool))))
        lessons = [(lesson, lesson.course.teachers.first()) for lesson in
                   picked.select_related("course").order_by("?")]  # fmt: skip
        print(f"staleness: {len(lessons)} topic saves over {seconds:.0f} s in {len(chosen)} "
              f"schools, the rollup thread every {worker.ROLLUP_EVERY:.0f} s, "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        stop, done = threading.Event(), threading.Event()
        refreshes: list[tuple[float, int]] = []
        saved: dict[int, tuple[int, datetime.datetime]] = {}  # lesson → (course, saved at)
        delays: dict[int, float] = {}

        def rollups() -> None:  # the worker's rollup thread (`worker._every`), each refresh timed
            while not stop.is_set():
                began = time.perf_counter()
                rows = worker.rollups_once()
                refreshes.append((time.perf_counter() - began, rows))
                stop.wait(worker.ROLLUP_EVERY)

        def poll() -> None:  # a dashboard reader: when does each save show?
            try:
                while not (done.is_set() and len(delays) == len(saved)):
                    pending = {pk: v for pk, v in list(saved.items()) if pk not in delays}
                    computed = dict(
                        DayRollup.objects.filter(
                            course_id__in={c for c, _at in pending.values()}, day=today
                        ).values_list("course_id", "computed_at")
                    )
                    now = timezone.now()
                    for pk, (course, at) in pending.items():
                        if computed.get(course) is not None and computed[course] >= at:
                            delays[pk] = (now - at).total_seconds()
                    time.sleep(0.25)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=rollups), threading.Thread(target=poll)]
        for thread in threads:
            thread.start()
        try:
            for lesson, teacher in lessons:
                at = timezone.now()
                services.lesson_update(actor=teacher, lesson=lesson, topic="Тема урока")
                saved[lesson.pk] = (lesson.course_id, at)
                time.sleep(seconds / max(len(lessons), 1))
            done.set()
            threads[1].join(timeout=300)
        finally:
            done.set()
            stop.set()
            for thread in threads:
                thread.join(timeout=300)
    late = sorted(delays.values())
    walls = [w for w, _rows in refreshes]
    print(f"  delay save → rollup: {len(late)} of {len(saved)} seen, "
          f"p50 {percentile(late, 50):.1f} s, p95 {percentile(late, 95):.1f} s, "
          f"max {max(late, default=float('nan')):.1f} s "
          "(target ≤ 60 s)")  # fmt: skip
    written = sum(r for _w, r in refreshes)
    print(f"  refreshes: {len(refreshes)}, wall p50 {percentile(walls, 50):.2f} s, max "
          f"{max(walls, default=float('nan')):.2f} s, rows written {written}, "
          f"load average after {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
