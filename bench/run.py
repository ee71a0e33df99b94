"""Benchmark runner: the hot requests of DESIGN.md §6, in process and over HTTP, against a floor.

    bench/run [--dataset tiny|school-S] [--db sqlite,postgres] [--out report.md] ...

For each database (SQLite in a throw-away data dir; PostgreSQL in a throw-away database
otm_bench_<pid> created through --pg-url and dropped afterwards) it loads the dataset with the
school's clock at 2027-05-21 09:00 UTC (a Friday near the end of the 4th quarter), then measures
the class journal of the course with the most hours a week of the class closest to 30 students:

  (a) in process, through the WSGI application (and Django's test client beside), after a
      warm-up of 20 requests each: grid JSON, grid page, one mark saved, a lesson column
      saved (on a sibling course, so the reads stay the same), login (the real hasher):
      p50/p95/p99, requests/s, CPU ms and queries per request;
  (b) over HTTP against `otmetka serve` (gunicorn, same configuration, clock fixed) on a free
      loopback port, with 1, 8, 32 keep-alive clients, each level bounded by --http-requests
      and --http-seconds: p50/p95/p99, requests/s, server CPU ms per request, errors;
  (c) the floor: the grid's data fetched by ONE hand-written SQL query and dumped with orjson,
      and one mark as two raw INSERTs (mark + audit row) in one transaction: ours ÷ floor,
      each measured paired with ours (the two alternate request by request after the same
      warm-up, so that both see the same machine);
  (d) concurrent writers: --writers threads, each with its own connection, saving single marks
      (the same POST) to random (student, held lesson) pairs of many courses for
      --writers-seconds: marks/s, p50/p95/p99, errors by kind, "database is locked" count.

The Markdown report goes to stdout (and --out). --reuse URL measures an already loaded database
(no loading; the runner writes benchmark marks and sessions into it and sets the measured
teacher's password). Timings on a shared 2-core machine are noisy; query counts are exact.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, ROOT
from areas import area_rows
from hot import WARMUP, floor, in_process
from http_load import over_http, writers
from report_md import render

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"

# ---------------------------------------------------------------- one database (worker)


def _db_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def worker(args: argparse.Namespace) -> None:
    """Measure the database named by DATABASE_URL; the results go to args.worker as JSON."""
    import time_machine
    from _common import dataset_facts, load, pick, set_known_password, setup_django

    setup_django()
    time_machine.travel(NOW, tick=True).start()
    from django.utils import timezone

    today = timezone.localdate()
    result: dict[str, Any] = {"db": _db_version()}
    started = time.perf_counter()

    def say(what: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {result['db']}: {what}", file=sys.stderr)

    say("loading" if not args.reuse else "reusing the database")
    if args.reuse:
        result["load"] = {"how": "the database given to --reuse, loaded before", "load_s": None}
    else:
        result["load"] = load(args.dataset, args.scale, args.seed, today)
    result["facts"] = dataset_facts()
    read, write = pick(today)
    set_known_password(read.teacher)
    write.teacher.refresh_from_db()  # often the same teacher: the sessions carry the new hash
    result["journal"] = read.facts
    result["write_journal"] = write.facts["journal"]
    skip = set(args.skip)
    say("in process")
    result["warmup"] = WARMUP
    marks_before = write.period_marks()
    result["in_process"] = in_process(read, write, args.rounds)
    # The earlier reports' measure, for comparison: the same through Django's test client.
    result["in_process_client"] = in_process(read, write, args.rounds, via="client")
    if "floor" not in skip:
        say("floor")
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(read.teacher)
        grid_bytes = len(client.get(read.grid_json_url()).content)
        result["floor"] = floor(read, write, args.rounds, grid_bytes)
    result["kept_marks"] = [marks_before, write.period_marks()]
    if "areas" not in skip:
        say("the areas' rows")
        result["areas"] = area_rows(args.rounds, args.areas or None)
    if "http" not in skip:
        from django.db import connection

        connection.close()  # the server's processes open their own
        log = Path(os.environ["OTMETKA_DATA_DIR"], "server.log")
        say("over HTTP")
        result["http"] = over_http(read, write, args, log)
    if "writers" not in skip:
        say("writers in process")
        result["writers"] = [
            writers(args.writers, args.writers_seconds, today, cells) for cells in args.writer_cells
        ]
    say("done")
    Path(args.worker).write_text(json.dumps(result, default=str), encoding="utf-8")


def _pg_answers(url: str) -> str:
    """'' when PostgreSQL at `url` answers, else why not."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except Exception as exc:
        return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return ""


def _with_db(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _run_worker(argv: list[str], env: dict[str, str], data_dir: str) -> dict:
    out = Path(data_dir, "result.json")
    env = {**env, "OTMETKA_DATA_DIR": data_dir}
    Path(data_dir, "static").mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, __file__, *argv, "--worker", str(out)], env=env, check=True, cwd=ROOT
    )
    return json.loads(out.read_text(encoding="utf-8"))


def parent(args: argparse.Namespace) -> None:
    argv = [a for a in args.argv]
    results, skipped = [], []
    if args.reuse:
        with tempfile.TemporaryDirectory(prefix="otm-bench-") as data_dir:
            results.append(_run_worker(argv, {**os.environ, "DATABASE_URL": args.reuse}, data_dir))
    else:
        wanted = args.db.split(",") if args.db else ["sqlite", "postgres"]
        for db in wanted:
            if db == "sqlite":
                env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
                with tempfile.TemporaryDirectory(prefix="otm-bench-") as data_dir:
                    results.append(_run_worker(argv, env, data_dir))
            elif db == "postgres":
                why = _pg_answers(args.pg_url)
                if why:
                    if args.db:
                        sys.exit(f"PostgreSQL at {args.pg_url} does not answer: {why}")
                    skipped.append(f"PostgreSQL skipped: {args.pg_url} does not answer ({why})")
                    continue
                results.append(_run_pg(args, argv))
            else:
                sys.exit(f"--db: unknown database {db!r} (sqlite, postgres)")
    report = render(args, results, skipped)
    print(report)
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")


def _run_pg(args: argparse.Namespace, argv: list[str]) -> dict:
    import psycopg

    name = args.pg_db or f"otm_bench_{os.getpid()}"
    with psycopg.connect(args.pg_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": _with_db(args.pg_url, name)}
        with tempfile.TemporaryDirectory(prefix="otm-bench-") as data_dir:
            return _run_worker(argv, env, data_dir)
    finally:
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _list(kind: Callable[[str], Any]) -> Callable[[str], list]:
    return lambda text: [kind(x) for x in text.split(",") if x]


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dataset", default="tiny", choices=["tiny", "school-S", "region-M"])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="dataset scale factor (multiplies the schools)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--db", default="", help="sqlite,postgres (default: both, PostgreSQL when it answers)"
    )
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG, help="admin URL to create/drop otm_bench_<pid>"
    )
    parser.add_argument(
        "--pg-db", default="", help="name of the throw-away database (default otm_bench_<pid>)"
    )
    parser.add_argument("--reuse", metavar="URL", help="measure this already loaded database")
    parser.add_argument("--rounds", type=int, default=50, help="in-process rounds per request")
    parser.add_argument(
        "--clients", type=_list(int), default=[1, 8, 32], help="HTTP concurrency levels"
    )
    parser.add_argument(
        "--serve-workers", type=int, default=0, help="gunicorn workers (0: serve's default)"
    )
    parser.add_argument(
        "--serve-threads", type=int, default=0, help="threads a worker (0: serve's default)"
    )
    parser.add_argument(
        "--http-only",
        type=_list(str),
        default=[],
        help="measure only these requests over HTTP (e.g. 'grid JSON,one mark')",
    )
    parser.add_argument("--http-seconds", type=float, default=5, help="seconds per HTTP level")
    parser.add_argument("--http-requests", type=int, default=1000, help="requests per HTTP level")
    parser.add_argument("--writers", type=int, default=100, help="concurrent writer threads")
    parser.add_argument("--writers-seconds", type=float, default=30)
    parser.add_argument(
        "--writer-cells",
        type=_list(int),
        default=[1, 30],
        help="marks a writer saves per request, one run each: single marks and columns (1,30)",
    )
    parser.add_argument(
        "--skip", type=_list(str), default=[], help="any of http,floor,writers,areas"
    )
    parser.add_argument(
        "--areas",
        type=_list(str),
        default=[],
        help="modules whose measure() gives the areas' rows (default: bench.diary, "
        "bench.messaging, bench.gradesheet)",
    )
    parser.add_argument("--out", help="also write the Markdown report here")
    parser.add_argument(
        "--sql", action="store_true", help="list the queries of each in-process request"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    unknown = set(args.skip) - {"http", "floor", "writers", "areas"}
    if unknown:
        parser.error(f"--skip: unknown {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.worker:
        worker(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
