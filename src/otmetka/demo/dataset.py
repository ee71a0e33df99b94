"""Benchmark datasets: one large school (`school-S`) or a Crimea-sized region (`region-M`) of
generated schools with a year of lessons, marks, absences and homework.

Sizes follow ../shared/reference/scale.md §4.1. `school-S` is one large urban school: 3–4 classes a
grade of about 30 (≈ 1,100 students, so the measured journal has the 25–30 students of DESIGN.md
§6). `region-M` is a mix of 60 large urban schools
(about 41 classes of 27), 220 medium ones (22 classes of 24) and 250 small rural ones (one class
of 16 per grade): ≈ 530 schools, 232,000 students. A scale factor multiplies the number of schools
of each size (at least one of each), so figures measured on a part extrapolate by school count.

Every school is written in a transaction of its own, lessons, marks and absences by COPY on
PostgreSQL (see `bulk.py`), with a progress line and the load rate.
"""

from __future__ import annotations

import datetime
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.db import connection, transaction

from otmetka.compliance.models import DayRollup, SchoolDayRollup
from otmetka.demo.bulk import BulkWriter
from otmetka.demo.compliance import demo_rollups_recompute
from otmetka.demo.generator import SchoolShape, schools_generate
from otmetka.school.models import School

# name → [(how many schools, classes per grade (from, to), students per class)]
DATASETS: dict[str, list[tuple[int, tuple[int, int], int]]] = {
    "tiny": [(2, (1, 1), 6)],
    "school-S": [(1, (3, 4), 30)],
    "region-M": [(60, (3, 4), 27), (220, (2, 2), 24), (250, (1, 1), 16)],
}
# The benchmark clock: a Friday of the 4th quarter, a week before the year's last lessons.
BENCH_TODAY = datetime.date(2027, 5, 21)
# The benchmark's clock on that day (bench/_common.py NOW): 12:00 in Crimea, the morning's lessons
# held, the day's deadlines (16:00 and later) still pending. The loader's rollups are computed as
# seen at this time of `today`, so they are what the periodic job would hold at the bench's clock.
BENCH_CLOCK = datetime.time(9, 0, tzinfo=datetime.UTC)


@dataclass
class DatasetResult:
    """What a load wrote and how fast."""

    name: str
    scale: float
    schools: int
    rows: dict[str, int]
    seconds: float

    @property
    def rate(self) -> float:
        """Journal rows (lessons, marks, absences) written per second, all included."""
        return sum(self.rows.values()) / self.seconds if self.seconds else 0.0


def dataset_shapes(name: str, scale: float = 1.0) -> list[SchoolShape]:
    """The schools of a dataset at a scale, large ones first."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}: one of {', '.join(DATASETS)}")
    if scale <= 0:
        raise ValueError("the scale must be positive")
    shapes: list[SchoolShape] = []
    for count, per_grade, per_class in DATASETS[name]:
        shapes += [(per_grade, per_class)] * max(1, round(count * scale))
    return shapes


def dataset_load(
    name: str,
    *,
    scale: float = 1.0,
    seed: int = 2026,
    today: datetime.date = BENCH_TODAY,
    progress: IO[str] | None = None,
) -> DatasetResult:
    """Generate the dataset into an empty database; print progress to `progress` if given."""
    if School.objects.exists():
        raise ValueError("the database already holds schools: give the dataset an empty one")
    shapes = dataset_shapes(name, scale)
    started = time.perf_counter()
    line = _Progress(len(shapes), progress, started)
    with _indexes_after(progress):
        result = schools_generate(
            shapes,
            seed=seed,
            today=today,
            each=line.school_done,
            school_atomic=_school_transaction,
            rollups=False,
        )
        line.close()
    _analyze()
    _rollups(result.schools, today, progress)
    _analyze(DayRollup, SchoolDayRollup)
    return DatasetResult(
        name=name,
        scale=scale,
        schools=len(result.schools),
        rows=dict(result.written),
        seconds=time.perf_counter() - started,
    )


# The tables that take millions of rows: their secondary indexes are built once at the end.
BIG_TABLES = ("journal_lesson", "journal_mark", "journal_absence")


@contextmanager
def _indexes_after(progress: IO[str] | None) -> Iterator[None]:
    """On PostgreSQL, drop the plain secondary indexes of the big tables for the load and build
    them again afterwards, whatever happens (as pg_restore does): a B-tree built from sorted
    rows costs a fraction of millions of single-row insertions. Constraint indexes stay."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            ORDER BY i.relname""",
            [list(BIG_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    # A signal handler can only be set from the main thread (the command's; not a test's pool).
    handles = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if handles else None
    try:
        yield
    finally:
        if handles:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # The loader updates rows it wrote (lessons after their marks): an index built over
            # those broken HOT chains is marked `indcheckxmin`, and no older transaction
            # anywhere on the server may use it. VACUUM first, then the indexes are usable at once.
            # (VACUUM can't run inside a transaction: a load inside one, as in a test, skips it.)
            if not connection.in_atomic_block:
                cursor.execute("VACUUM " + ", ".join(BIG_TABLES))
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _name, definition in indexes:
                cursor.execute(definition)
        if progress is not None:
            progress.write(
                f"{len(indexes)} indexes built in {time.perf_counter() - started:.1f} s\n"
            )


def _terminated(signum: int, _frame: Any) -> None:
    """SIGTERM during a load: unwind like Ctrl-C, so the dropped indexes are built again."""
    raise KeyboardInterrupt(f"signal {signum}")


def _analyze(*models: Any) -> None:
    """ANALYZE the models' tables (every table if none) on PostgreSQL: the planner's statistics
    of an empty table would otherwise stay until autovacuum's next round."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        )


def _rollups(schools: list[School], today: datetime.date, progress: IO[str] | None) -> None:
    """Each school's compliance rollups of the demo's weeks, once the indexes exist (the facts'
    per-lesson reads need them) and as seen at the bench's clock on `today` — not the real
    clock, which may be before `today` and would leave the measured days without rollups."""
    started = time.perf_counter()
    now = datetime.datetime.combine(today, BENCH_CLOCK)
    rows = sum(demo_rollups_recompute(school=s, today=today, now=now) for s in schools)
    if progress is not None:
        progress.write(
            f"{rows:,} rollup rows of {len(schools)} schools in "
            f"{time.perf_counter() - started:.1f} s\n"
        )


@contextmanager
def _school_transaction() -> Iterator[None]:
    """One school, one transaction. On PostgreSQL the deferred foreign-key checks of millions
    of generated rows cost more than writing them: a superuser loads with triggers off (as
    pg_restore --disable-triggers does); anyone else loads with the checks."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL session_replication_role = replica")
        yield


class _Progress:
    """`[####      ] 12/530 schools · 1,234,567 rows · 85,000 rows/s · 3:10 left`"""

    WIDTH = 30

    def __init__(self, total: int, out: IO[str] | None, started: float) -> None:
        self.total, self.out, self.started = total, out, started
        self.done = 0

    def school_done(self, _school: School, writer: BulkWriter) -> None:
        self.done += 1
        if self.out is None:
            return
        terminal = self.out.isatty()
        if not terminal and self.done % max(1, self.total // 50) and self.done != self.total:
            return  # a log file gets about 50 lines
        elapsed = time.perf_counter() - self.started
        filled = self.WIDTH * self.done // self.total
        left = elapsed / self.done * (self.total - self.done)
        rate = writer.rows / elapsed if elapsed else 0
        minutes, seconds = divmod(int(left), 60)
        self.out.write(
            ("\r" if terminal else "")
            + f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {self.done}/{self.total} schools · "
            f"{writer.rows:,} rows · {rate:,.0f} rows/s · {minutes}:{seconds:02d} left"
            + (" " if terminal else "\n")
        )
        self.out.flush()

    def close(self) -> None:
        if self.out is not None and self.out.isatty():
            self.out.write("\n")
            self.out.flush()
