"""Year-end archive of school-S: time, size and peak memory (issue 13: "must not need more than
1 GB of memory (stream pages)"). Run on demand:

    uv run python bench/archive.py                 # SQLite in a temporary data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/otm_bench uv run python bench/archive.py

It loads the school-S dataset (`otmetka dataset school-S`: ~1,100 students, a year of lessons,
marks and absences), then builds the signed archive of its year (`otmetka archive YEAR`) and
prints the time, the .zip's size, the files, and the process's peak resident memory
(resource.getrusage) before and after the build; then checks the archive (`--verify`).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django


def peak_mb() -> float:
    """The process's peak resident memory so far, MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otm-bench-") as data_dir:
        setup_django(data_dir if not os.environ.get("DATABASE_URL") else None)
        os.environ["OTMETKA_DATA_DIR"] = data_dir
        run(Path(data_dir))


def run(data_dir: Path) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from otmetka.archive.services import archive_create, archive_verify
    from otmetka.demo.dataset import BENCH_TODAY, dataset_load
    from otmetka.journal.models import Lesson, Mark
    from otmetka.people.models import Student
    from otmetka.school.models import AcademicYear

    settings.DATA_DIR = data_dir
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    dataset_load("school-S", scale=1.0, seed=2026, today=BENCH_TODAY, progress=None)
    print(f"school-S loaded in {time.perf_counter() - started:.0f} s: "
          f"{Student.objects.count()} students, {Lesson.objects.count()} lessons, "
          f"{Mark.objects.count()} marks; database {connection.vendor}")  # fmt: skip
    year = AcademicYear.objects.order_by("-start").first()
    assert year is not None
    before = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    archive = archive_create(actor=None, year=year)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = peak_mb()
    folder = Path(archive.path)
    unpacked = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    started = time.perf_counter()
    problems = archive_verify(folder.with_suffix(".zip"))
    verify = time.perf_counter() - started
    print("| measure | value |")
    print("|---|---:|")
    print(f"| build time (wall), s | {seconds:.0f} |")
    print(f"| build time (CPU of this process), s | {cpu:.0f} |")
    print(f"| files | {archive.files} |")
    print(f"| folder size, MB | {unpacked / 2**20:.1f} |")
    print(f"| .zip size, MB | {archive.size / 2**20:.1f} |")
    print(f"| peak RSS before the build, MB | {before:.0f} |")
    print(f"| peak RSS after the build, MB | {after:.0f} |")
    print(f"| verify (.zip), s | {verify:.1f} |")
    print(f"| verify problems | {len(problems)} |")


if __name__ == "__main__":
    main()
