"""PostgreSQL's own CPU per grid read and per mark save (docs/benchmarks.md): the server
process's user + system time (from /proc: the database on this machine) over `--rounds`
requests through Django's test client on one connection, with the app's CPU beside it.
Planning is PostgreSQL's CPU, which bench/run's "CPU ms" (the app's process) does not count.

    DATABASE_URL=postgres://…/otm_school_s uv run python bench/pgcpu.py [--rounds 300]

Everything runs in one transaction that is rolled back (the saves go to one lesson, a new
mark each time, as bench/run's "one mark").
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, pick, setup_django


def _server_cpu(pid: int) -> float:
    """The server process's user + system CPU seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(pid: int, run: Any, rounds: int) -> tuple[float, float]:
    for _ in range(10):  # warm-up: caches, and each statement past psycopg's threshold
        run()
    server, app = _server_cpu(pid), time.process_time()
    for _ in range(rounds):
        run()
    return (
        (_server_cpu(pid) - server) * 1000 / rounds,
        (time.process_time() - app) * 1000 / rounds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    import time_machine

    setup_django()
    time_machine.travel(NOW, tick=True).start()
    from django.db import connection, transaction
    from django.utils import timezone
    from explain import _client

    with transaction.atomic():
        read, write = pick(timezone.localdate())
        teacher, writer = _client(read.teacher), _client(write.teacher)
        lesson, student = write.held[-1], write.students[0]
        url, body = write.cells_url(lesson), write.cells_body(lesson, [student])
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        for name, run in (
            ("grid JSON", lambda: teacher.get(read.grid_json_url())),
            ("one mark", lambda: writer.post(url, body, content_type="application/json")),
        ):
            server, app = _measure(pid, run, args.rounds)
            print(f"| {name} | {server:.2f} | {app:.2f} |")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
