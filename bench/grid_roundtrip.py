"""The grid's save round trip, in process: what one mark and one lesson column cost now that the
save answers what the grid patches (the cells, the students' averages and absences) instead of
the grid reading itself again after every save.

    uv run python bench/grid_roundtrip.py [--dataset tiny] [--rounds 200] [--pg-url URL] [--sql]

Loads the dataset into a throw-away database (SQLite in a temporary data dir, or with --pg-url a
throw-away PostgreSQL database, dropped afterwards) with the school's clock at bench/_common.NOW,
picks the journal bench/run writes in, and prints for one mark and one column: the queries of
the request (and those of the authentication: session, user, roles), the requests per save the
grid makes, and p50/p95 in process — beside the old way (the save, then the grid read again).
Numbers only, never assertions; a shared 2-core machine is noisy, query counts are exact.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, Journal, percentile

AUTH_TABLES = ('"accounts_session"', '"accounts_user"', '"access_rolemembership"')
KINDS = {  # how the request's queries are told apart in the report
    "authentication": lambda q: any(t in q.split(" WHERE ")[0] for t in AUTH_TABLES),
    "Idempotency-Key": lambda q: '"api_idempotentrequest"' in q,
    "transaction": lambda q: q.split()[0] in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"),
}


def _post(client: Any, journal: Journal, lesson: int, students: list[int], value: str) -> Any:
    """The body the grid sends: new marks of the chosen kind, the absence left alone."""
    changes = [{"student": s, "marks": [{"value": value, "kind": journal.kind}]} for s in students]
    return client.post(
        journal.cells_url(lesson),
        json.dumps({"changes": changes}),
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},  # as the grid sends every save
    )


def _check(response: Any, students: list[int]) -> None:
    """The answer carries every changed student's cell and row summary: nothing to re-read."""
    body = response.json()
    if response.status_code != 200 or len(body["students"]) != len(set(students)):
        sys.exit(f"unexpected answer {response.status_code}: {response.content[:300]!r}")


def measure(journal: Journal, rounds: int, column: bool, show_sql: bool) -> dict:
    """One kind of save, `rounds` times on new cells; then the old way (save + grid read)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(journal.teacher)
    rng = random.Random(7)

    def save() -> None:
        lesson = rng.choice(journal.held)
        students = journal.students if column else [rng.choice(journal.students)]
        _check(_post(client, journal, lesson, students, rng.choice("2345")), students)

    save()  # warm-up
    with CaptureQueriesContext(connection) as captured:
        save()
    sql = [q["sql"] for q in captured.captured_queries]
    kinds = {k: sum(1 for q in sql if test(q)) for k, test in KINDS.items()}
    timings: dict[str, list[float]] = {"save": [], "save + grid read": []}
    cpu: dict[str, float] = {}
    for name in timings:
        cpu0 = time.process_time()
        for _ in range(rounds):
            started = time.perf_counter()
            save()
            if name != "save":
                client.get(journal.grid_json_url())
            timings[name].append((time.perf_counter() - started) * 1000)
        cpu[name] = (time.process_time() - cpu0) * 1000 / rounds
    if show_sql:
        print("\n".join(f"    {q[:160]}" for q in sql))
    return {"queries": len(sql), "kinds": kinds, "timings": timings, "cpu": cpu}


def report(name: str, journal: Journal, result: dict) -> None:
    t = result["timings"]
    print(f"\n{name} ({journal.facts['journal']}):")
    kinds = result["kinds"]
    own = result["queries"] - sum(kinds.values())
    split = ", ".join(f"{n} {k}" for k, n in kinds.items())
    print(f"  queries per request: {result['queries']} ({split}; {own} the save itself)")
    print("  requests per save:   1 now (the answer is patched in place); 2 before (+ grid read)")
    for label, times in t.items():
        p50, p95 = percentile(times, 50), percentile(times, 95)
        cpu = result["cpu"][label]
        print(f"  {label:<17} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  CPU {cpu:5.1f} ms/save")


def run(args: argparse.Namespace) -> None:
    import time_machine
    from _common import load, pick, setup_django

    setup_django()
    time_machine.travel(NOW, tick=True).start()
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    print(f"database: {connection.vendor}; loading {args.dataset}…", file=sys.stderr)
    load(args.dataset, args.scale, args.seed, today)
    _read, write = pick(today)
    for name, column in (("one mark", False), (f"column ({len(write.students)} marks)", True)):
        report(name, write, measure(write, args.rounds, column, args.sql))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="tiny")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--pg-url", help="measure PostgreSQL: a server URL (a database is made)")
    parser.add_argument("--sql", action="store_true", help="list the queries of each save")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otm-grid-bench-") as data_dir:
        os.environ["OTMETKA_DATA_DIR"] = data_dir
        Path(data_dir, "static").mkdir()
        if not args.pg_url:
            os.environ.pop("DATABASE_URL", None)
            return run(args)
        import psycopg

        name = f"otm_grid_bench_{os.getpid()}"
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            base = args.pg_url.rsplit("/", 1)[0]
            os.environ["DATABASE_URL"] = f"{base}/{name}"
            run(args)
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(args.pg_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
