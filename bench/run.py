"""Benchmark runner: the hot requests of DESIGN.md §6, in process and over HTTP, against a floor.

    bench/run [--dataset tiny|school-S] [--db sqlite,postgres] [--out report.md] ...

For each database (SQLite in a throw-away data dir; PostgreSQL in a throw-away database
otm_bench_<pid> created through --pg-url and dropped afterwards) it loads the dataset with the
school's clock at 2027-05-21 09:00 UTC (a Friday near the end of the 4th quarter), then measures
the class journal of the course with the most hours a week of the class closest to 30 students:

  (a) in process, Django's test client: grid JSON, grid page, one mark saved, a lesson column
      saved (on a sibling course, so the reads stay the same), login (the real hasher):
      p50/p95/p99, requests/s, CPU ms and queries per request;
  (b) over HTTP against `otmetka serve` (gunicorn, same configuration, clock fixed) on a free
      loopback port, with 1, 8, 32 keep-alive clients, each level bounded by --http-requests
      and --http-seconds: p50/p95/p99, requests/s, server CPU ms per request, errors;
  (c) the floor: the grid's data fetched by ONE hand-written SQL query and dumped with orjson,
      and one mark as two raw INSERTs (mark + audit row) in one transaction: ours ÷ floor;
  (d) concurrent writers: --writers threads, each with its own connection, saving single marks
      (the same POST) to random (student, held lesson) pairs of many courses for
      --writers-seconds: marks/s, p50/p95/p99, errors by kind, "database is locked" count.

The Markdown report goes to stdout (and --out). --reuse URL measures an already loaded database
(no loading; the runner writes benchmark marks and sessions into it and sets the measured
teacher's password). Timings on a shared 2-core machine are noisy; query counts are exact.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import os
import platform
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, PASSWORD, ROOT, Journal, percentile

HERE = Path(__file__).resolve().parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
LOCKED = "database is locked"


@dataclass
class Target:
    """A line of DESIGN.md §6 for a request: p95 bound, query bound, and how it reads."""

    text: str
    p95_ms: float | None = None
    queries: int | None = None


TARGETS = {
    "grid JSON": Target("p95 ≤ 40 ms, ≤ 6 queries", 40, 6),
    "grid page": Target("p95 ≤ 40 ms (same request class)", 40),
    "one mark": Target("p95 ≤ 20 ms", 20),
    "column": Target("p95 ≤ 20 ms", 20),
    "login": Target("— (≥ 50 logins/s on 8 vCPU, scale.md §4.4)"),
    "diary week": Target("p95 ≤ 25 ms", 25),
    "gradesheet": Target("p95 ≤ 60 ms; school ≤ 700 ms", 60),
}
NOT_BUILT = ["diary week", "gradesheet"]
WRITERS_TARGET = 300  # marks/s with 100 writers, SQLite on this machine (DESIGN.md §6)


# ---------------------------------------------------------------- the requests


@dataclass
class Spec:
    """One hot request: `make(i)` gives (method, path, body, content type, who)."""

    name: str
    label: str
    make: Callable[[int], tuple[str, str, bytes | None, str | None, str]]
    expect: int


def specs(read: Journal, write: Journal, csrf: str) -> list[Spec]:
    """The measured requests. `who`: read (teacher of the read journal), write (its sibling's
    teacher), anon (login)."""
    lessons = write.held

    def grid_json(_i: int) -> tuple:
        return "GET", read.grid_json_url(), None, None, "read"

    def grid_page(_i: int) -> tuple:
        return "GET", read.grid_page_url(), None, None, "read"

    def one_mark(i: int) -> tuple:
        lesson = lessons[i % len(lessons)]
        student = write.students[(i // len(lessons)) % len(write.students)]
        body = write.cells_body(lesson, [student])
        return "POST", write.cells_url(lesson), body, "application/json", "write"

    def column(i: int) -> tuple:
        lesson = lessons[i % len(lessons)]
        body = write.cells_body(lesson, write.students, value="5")
        return "POST", write.cells_url(lesson), body, "application/json", "write"

    def login(_i: int) -> tuple:
        form = {"username": read.teacher.username, "password": PASSWORD}
        if csrf:
            form["csrfmiddlewaretoken"] = csrf
        body = urllib.parse.urlencode(form).encode()
        return "POST", "/accounts/login/", body, "application/x-www-form-urlencoded", "anon"

    n = len(write.students)
    return [
        Spec("grid JSON", "grid JSON (GET /api/v1/journal/…)", grid_json, 200),
        Spec("grid page", "grid page (GET /journal/…/)", grid_page, 200),
        Spec("one mark", "one mark (POST …/cells, 1 cell)", one_mark, 200),
        Spec("column", f"column ({n} cells, one POST)", column, 200),
        Spec("login", "login (POST /accounts/login/)", login, 302),
    ]


def _stats(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
    }


# ---------------------------------------------------------------- (a) in process


def in_process(read: Journal, write: Journal, rounds: int) -> list[dict]:
    from http.cookies import SimpleCookie

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"read": Client(HTTP_HOST="127.0.0.1"), "write": Client(HTTP_HOST="127.0.0.1")}
    clients["read"].force_login(read.teacher)
    clients["write"].force_login(write.teacher)
    anon = Client(HTTP_HOST="127.0.0.1")

    def call(spec: Spec, i: int) -> Any:
        method, path, body, ctype, who = spec.make(i)
        client = clients.get(who)
        if client is None:
            anon.cookies = SimpleCookie()  # a fresh visitor for every login
            client = anon
        kwargs = {"content_type": ctype} if ctype else {}
        return client.generic(method, path, body or b"", **kwargs)

    rows = []
    for spec in specs(read, write, csrf=""):
        failures, first_error = 0, ""

        def check(response: Any, spec: Spec = spec) -> None:
            nonlocal failures, first_error
            if response.status_code != spec.expect:
                failures += 1
                first_error = first_error or f"{response.status_code} {response.content[:200]!r}"

        check(call(spec, rounds))  # warm-up
        with CaptureQueriesContext(connection) as captured:
            check(call(spec, rounds + 1))
        queries = len(captured.captured_queries)
        times = []
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for i in range(rounds):
            started = time.perf_counter()
            response = call(spec, i)
            times.append((time.perf_counter() - started) * 1000)
            check(response)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        rows.append(
            {
                "name": spec.name,
                "label": spec.label,
                **_stats(times),
                "rps": rounds / wall,
                "cpu_ms": cpu * 1000 / rounds,
                "queries": queries,
                "sql": [q["sql"] for q in captured.captured_queries],
                "failures": failures,
                "error": first_error,
            }
        )
    return rows


# ---------------------------------------------------------------- (c) the floor


def _raw(sql: str) -> str:
    from django.db import connection

    return sql.replace("%s", "?") if connection.vendor == "sqlite" else sql


def floor_grid(journal: Journal) -> bytes:
    """The grid's data by one query on the raw DB-API cursor, dumped with orjson."""
    import orjson
    from django.db import connection

    from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark
    from otmetka.people.models import Student
    from otmetka.school.models import Enrollment

    lesson, mark, absence = Lesson._meta.db_table, Mark._meta.db_table, Absence._meta.db_table
    code, student = AbsenceCode._meta.db_table, Student._meta.db_table
    enrollment = Enrollment._meta.db_table
    period = journal.period
    start, end = period.start.isoformat(), period.end.isoformat()
    in_period = "l.course_id = %s AND l.date >= %s AND l.date <= %s"
    sql = f"""
        SELECT 'l', l.id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), l.date,
               CAST(NULL AS DATE), l.bell_number, l.topic, l.homework
          FROM {lesson} l WHERE {in_period}
        UNION ALL
        SELECT 's', s.id, NULL, NULL, e.start, e."end", NULL, s.last_name, s.first_name
          FROM {enrollment} e JOIN {student} s ON s.id = e.student_id
         WHERE e.school_class_id = %s AND e.start <= %s AND (e."end" IS NULL OR e."end" >= %s)
        UNION ALL
        SELECT 'm', m.lesson_id, m.student_id, m.id, NULL, NULL, m.kind_id, m.value, m.comment
          FROM {mark} m JOIN {lesson} l ON l.id = m.lesson_id
         WHERE {in_period} AND m.is_deleted = %s
        UNION ALL
        SELECT 'a', a.lesson_id, a.student_id, NULL, NULL, NULL, a.minutes_late, c.code, c.reason
          FROM {absence} a JOIN {lesson} l ON l.id = a.lesson_id
          JOIN {code} c ON c.id = a.code_id
         WHERE {in_period}
    """
    course = journal.course
    params = [
        *(course.pk, start, end),
        *(course.school_class_id, end, start),
        *(course.pk, start, end, False),
        *(course.pk, start, end),
    ]
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_raw(sql), params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    lessons, students, cells = [], [], {}
    for kind, a, b, c, d1, d2, n, t1, t2 in rows:
        if kind == "l":
            lessons.append({"id": a, "date": d1, "number": n, "topic": t1, "homework": t2})
        elif kind == "s":
            students.append({"id": a, "name": f"{t1} {t2}", "from": d1, "to": d2})
        elif kind == "m":
            cell = cells.setdefault(f"{a}:{b}", {"marks": [], "absence": None})
            cell["marks"].append({"id": c, "value": t1, "kind": n, "comment": t2})
        else:
            cell = cells.setdefault(f"{a}:{b}", {"marks": [], "absence": None})
            cell["absence"] = {"code": t1, "minutes": n}
    return orjson.dumps({"lessons": lessons, "students": students, "cells": cells})


def floor_mark(journal: Journal, i: int) -> None:
    """One mark as a raw INSERT of the mark and one of its audit row, in one transaction."""
    import orjson
    from django.db import connection, transaction
    from django.utils import timezone

    from otmetka.audit.models import Event
    from otmetka.journal.models import Mark

    lesson = journal.held[i % len(journal.held)]
    student = journal.students[i % len(journal.students)]
    now = timezone.now()
    stamp = now if connection.vendor == "postgresql" else now.isoformat(" ")
    school = journal.course.school_id
    teacher = journal.teacher.pk
    with transaction.atomic():
        cursor = connection.connection.cursor()
        try:
            cursor.execute(
                _raw(
                    f"INSERT INTO {Mark._meta.db_table} (school_id, lesson_id, student_id, value,"
                    " kind_id, comment, created_by_id, created_at, updated_at, is_deleted)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
                ),
                [school, lesson, student, "4", journal.kind, "", teacher, stamp, stamp, False],
            )
            mark_id = cursor.fetchone()[0]
            after = orjson.dumps({"value": "4", "kind": journal.kind, "student": student}).decode()
            cursor.execute(
                _raw(
                    f"INSERT INTO {Event._meta.db_table} (school_id, actor_id, at, ip, action,"
                    " object_type, object_id, before, after, reason, group_key)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                ),
                [
                    school,
                    teacher,
                    stamp,
                    "127.0.0.1",
                    "mark.create",
                    "mark",
                    str(mark_id),
                    None,
                    after,
                    "",
                    f"cell:{lesson}:{student}",
                ],
            )
        finally:
            cursor.close()


def floor(read: Journal, write: Journal, rounds: int, grid_bytes: int) -> list[dict]:
    rows = []
    for name, action in (
        ("grid JSON", lambda _i: floor_grid(read)),
        ("one mark", lambda i: floor_mark(write, i)),
    ):
        action(-1)
        times = []
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for i in range(rounds):
            started = time.perf_counter()
            action(i)
            times.append((time.perf_counter() - started) * 1000)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        rows.append(
            {"name": name, **_stats(times), "rps": rounds / wall, "cpu_ms": cpu * 1000 / rounds}
        )
    rows[0]["bytes"] = len(floor_grid(read))
    rows[0]["ours_bytes"] = grid_bytes
    return rows


# ---------------------------------------------------------------- (b) over HTTP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_ticks(pid: int) -> int:
    """utime + stime of `pid` and its live children, in clock ticks."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids += [int(c) for c in children]
    for p in pids:
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{p}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total


class Server:
    """bench/serve_at.py (serve() with the clock at NOW) in a subprocess on a free port."""

    def __init__(self, log: Path) -> None:
        self.port = _free_port()
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "serve_at.py"), "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{tail}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                break
            if time.monotonic() > deadline:
                self.stop()
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the server did not start in 120 s:\n{tail}")
            time.sleep(0.2)

    def cpu_ticks(self) -> int:
        return _cpu_ticks(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _session(user: Any) -> str:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


def _level(
    port: int, spec: Spec, headers: dict[str, dict], clients: int, limit: int, seconds: float
) -> dict:
    counter = itertools.count()
    times: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        try:
            while time.perf_counter() < stop_at:
                i = next(counter)
                if i >= limit:
                    break
                method, path, body, ctype, who = spec.make(i)
                hdrs = dict(headers[who])
                if ctype:
                    hdrs["Content-Type"] = ctype
                started = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=hdrs)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    with lock:
                        errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != spec.expect:
                    with lock:
                        errors[f"HTTP {response.status}: {data[:100]!r}"] += 1
                else:
                    mine.append(elapsed)
        finally:
            conn.close()
            with lock:
                times.extend(mine)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    done = len(times) + sum(errors.values())
    return {
        **_stats(times),
        "clients": clients,
        "client_cpu_ms": cpu * 1000 / done if done else 0.0,
        "wall": wall,
        "rps": done / wall if wall else 0.0,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(3)),
        "done": done,
    }


def _writers_spec(journals: list[Journal], cells: int) -> Spec:
    """`cells` marks (random students) to a random held lesson of `journals`, as its teacher."""

    def save(i: int) -> tuple:
        rng = random.Random(i)
        journal = rng.choice(journals)
        lesson = rng.choice(journal.held)
        students = rng.sample(journal.students, min(cells, len(journal.students)))
        body = journal.cells_body(lesson, students, rng.choice("2345"))
        return "POST", journal.cells_url(lesson), body, "application/json", journal.teacher.pk

    return Spec("writers", f"{cells} mark(s) a request, random courses", save, 200)


def _locked_in_log(log: Path, offset: int) -> int:
    """Requests that failed with "database is locked" in the server log after `offset`."""
    with log.open("rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    return text.count(f"django.db.utils.OperationalError: {LOCKED}")


def over_http(read: Journal, write: Journal, args: argparse.Namespace, log: Path) -> dict:
    """(b) the requests at each concurrency level, then (d) the writers, against the server."""
    import secrets
    import string

    from _common import writable_journals
    from django.utils import timezone

    levels, limit, seconds = args.clients, args.http_requests, args.http_seconds
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    sessions = {"read": _session(read.teacher), "write": _session(write.teacher)}
    journals = [] if "writers" in args.skip else writable_journals(timezone.localdate())
    for journal in journals:
        if journal.teacher.pk not in sessions:
            sessions[journal.teacher.pk] = _session(journal.teacher)
    headers = {
        who: {"Cookie": f"sessionid={sid}; csrftoken={csrf}", "X-CSRFToken": csrf}
        for who, sid in sessions.items()
    }
    headers["anon"] = {"Cookie": f"csrftoken={csrf}"}
    server = Server(log)
    try:
        # The clock check: without ?period the grid opens the period containing the server's
        # today, which is the 4th quarter only if the workers travelled to NOW.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("GET", f"/api/v1/journal/{read.course.pk}", headers=headers["read"])
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"clock check: HTTP {response.status} {body[:200]!r}")
        shown = json.loads(body)["period"]
        if shown["id"] != read.period.pk:
            raise RuntimeError(
                f"the server's clock is not at {NOW:%Y-%m-%d}: it shows {shown['name']} "
                f"({shown['start']}–{shown['end']})"
            )
        rows = []
        for spec in specs(read, write, csrf):
            # every worker thread (2 × 4) answers at least once before the measure
            warm = _level(server.port, spec, headers, 8, min(16, limit), 30)
            if warm["errors"]:
                print(f"HTTP {spec.name} warm-up: {warm['error_kinds']}", file=sys.stderr)
            for clients in levels:
                ticks0 = server.cpu_ticks()
                row = _level(server.port, spec, headers, clients, limit, seconds)
                ticks = server.cpu_ticks() - ticks0
                row["name"], row["label"] = spec.name, spec.label
                hz = os.sysconf("SC_CLK_TCK")
                row["cpu_ms"] = ticks * 1000 / hz / row["done"] if row["done"] else 0.0
                rows.append(row)
        result = {"clock": f"{shown['name']} {shown['start']}–{shown['end']}", "rows": rows}
        result["writers"] = []
        for cells in args.writer_cells if journals else []:
            offset = log.stat().st_size
            spec = _writers_spec(journals, cells)
            row = _level(server.port, spec, headers, args.writers, 10**9, args.writers_seconds)
            row.update(
                courses=len(journals),
                seconds=row["wall"],
                saved=row["n"] * cells,
                rate=row["n"] * cells / row["wall"],
                cells=cells,
                threads=args.writers,
                locked=_locked_in_log(log, offset),
                note="",
            )
            result["writers"].append(row)
        return result
    finally:
        server.stop()


# ---------------------------------------------------------------- (d) concurrent writers


def _connection_room(wanted: int) -> tuple[int, str]:
    """How many writer threads PostgreSQL lets us open (its max_connections), with a note."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return wanted, ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int, count(*) FROM pg_stat_activity"
        )
        limit, used = cursor.fetchone()
    room = limit - used - 8  # superuser reserve and the other engineers' sessions
    if wanted <= room:
        return wanted, ""
    return room, f"{wanted} asked, {room} run: max_connections is {limit}, {used} in use"


def writers(threads: int, seconds: float, today: Any, cells: int = 1) -> dict:
    from _common import writable_journals
    from django.db import connection
    from django.test import Client

    journals = writable_journals(today)
    threads, note = _connection_room(threads)
    times: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    start: dict[str, float] = {}
    barrier = threading.Barrier(threads, action=lambda: start.setdefault("t", time.perf_counter()))

    def writer(k: int) -> None:
        journal = journals[k % len(journals)]
        rng = random.Random(k)
        mine: list[float] = []
        try:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(journal.teacher)
        except Exception as exc:
            with lock:
                errors[f"login: {type(exc).__name__}: {exc}"[:120]] += 1
            barrier.abort()
            connection.close()
            return
        try:
            barrier.wait()
            stop_at = start["t"] + seconds
            while time.perf_counter() < stop_at:
                lesson = rng.choice(journal.held)
                who = rng.sample(journal.students, min(cells, len(journal.students)))
                body = journal.cells_body(lesson, who, rng.choice("2345"))
                started = time.perf_counter()
                try:
                    response = client.post(
                        journal.cells_url(lesson), body, content_type="application/json"
                    )
                except Exception as exc:
                    with lock:
                        errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                    continue
                if response.status_code == 200:
                    mine.append((time.perf_counter() - started) * 1000)
                else:
                    with lock:
                        errors[f"HTTP {response.status_code}: {response.content[:100]!r}"] += 1
        except threading.BrokenBarrierError:
            pass
        finally:
            connection.close()
            with lock:
                times.extend(mine)

    pool = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - start.get("t", time.perf_counter())
    locked = sum(n for kind, n in errors.items() if LOCKED in kind)
    return {
        **_stats(times),
        "threads": threads,
        "note": note,
        "courses": len(journals),
        "seconds": wall,
        "saved": len(times) * cells,
        "rate": len(times) * cells / wall if wall > 0 else 0.0,
        "cells": cells,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(5)),
        "locked": locked,
    }


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
    result["in_process"] = in_process(read, write, args.rounds)
    if "floor" not in skip:
        say("floor")
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(read.teacher)
        grid_bytes = len(client.get(read.grid_json_url()).content)
        result["floor"] = floor(read, write, args.rounds, grid_bytes)
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


# ---------------------------------------------------------------- the report


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}".replace(",", " ")
    return str(value)


def _met(name: str, p95: float, queries: int | None = None, failures: int = 0) -> str:
    target = TARGETS[name]
    if target.p95_ms is None and target.queries is None:
        return "—"
    ok = failures == 0 and (target.p95_ms is None or p95 <= target.p95_ms)
    if target.queries is not None and queries is not None:
        ok = ok and queries <= target.queries
    return "met" if ok else "**not met**"


def machine() -> list[str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {ram}",
        f"- OS: {platform.platform()}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}",
    ]


def _row(*cells: Any) -> str:
    """One Markdown table row."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _in_process_section(args: argparse.Namespace, r: dict) -> list[str]:
    lines = [
        f"### (a) In process (Django test client, {args.rounds} rounds after a warm-up)",
        "",
        "| request | p50 ms | p95 ms | p99 ms | req/s | CPU ms/req | queries | failures "
        "| target (DESIGN.md §6) | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    lines += [
        _row(
            row["label"],
            *(_fmt(row[k]) for k in ("p50", "p95", "p99", "rps", "cpu_ms")),
            row["queries"],
            row["failures"],
            TARGETS[row["name"]].text,
            _met(row["name"], row["p95"], row["queries"], row["failures"]),
        )
        for row in r["in_process"]
    ]
    lines += [_row(n, "not built yet", *[""] * 6, TARGETS[n].text, "—") for n in NOT_BUILT]
    lines += [
        f"\nFirst failure of {row['name']}: {row['error']}"
        for row in r["in_process"]
        if row["error"]
    ]
    if args.sql:
        for row in r["in_process"]:
            lines += ["", f"Queries of {row['label']}:", "", "```sql"]
            lines += [q[:200] for q in row["sql"]]
            lines.append("```")
    return lines


def _http_section(args: argparse.Namespace, h: dict) -> list[str]:
    lines = [
        f"### (b) Over HTTP (`otmetka serve`: gunicorn 2 workers × 4 threads; keep-alive "
        f"clients on loopback; ≤ {args.http_requests} requests or {args.http_seconds:g} s a "
        f"level; the clock check showed {h['clock']})",
        "",
        "| request | clients | requests | p50 ms | p95 ms | p99 ms | req/s "
        "| server CPU ms/req | load generator CPU ms/req | errors | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    lines += [
        _row(
            row["label"],
            row["clients"],
            row["done"],
            *(_fmt(row[k]) for k in ("p50", "p95", "p99", "rps", "cpu_ms")),
            _fmt(row.get("client_cpu_ms")),
            row["errors"],
            TARGETS[row["name"]].text,
            _met(row["name"], row["p95"], None, row["errors"]),
        )
        for row in h["rows"]
    ]
    lines += [_row(n, "", "not built yet", *[""] * 7, TARGETS[n].text, "—") for n in NOT_BUILT]
    lines += [
        f"\n{row['name']} × {row['clients']}: {row['error_kinds']}"
        for row in h["rows"]
        if row["error_kinds"]
    ]
    lines.append(
        "\nLatency is what the client saw (the client threads share the cores with the "
        "server); the §6 targets are server time. Server CPU: utime + stime of gunicorn's "
        "master and workers (/proc), 10 ms ticks. The load generator is this runner's process "
        "(threads over http.client), not the server's: its CPU per request is shown so that "
        "what it takes from the two cores is seen."
    )
    return lines


def _floor_section(r: dict) -> list[str]:
    ours = {row["name"]: row for row in r["in_process"]}
    lines = [
        "### (c) The floor (one hand-written SQL query + orjson; two raw INSERTs)",
        "",
        "| request | floor p50 ms | floor p95 ms | floor CPU ms | ours p50 ms "
        "| ours p95 ms | ours CPU ms | ours ÷ floor (p50) | ours ÷ floor (p95) "
        "| ours ÷ floor (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r["floor"]:
        o = ours[row["name"]]
        lines.append(
            f"| {o['label']} | {_fmt(row['p50'], 2)} | {_fmt(row['p95'], 2)} | "
            f"{_fmt(row['cpu_ms'], 2)} | {_fmt(o['p50'])} | {_fmt(o['p95'])} | "
            f"{_fmt(o['cpu_ms'])} | {o['p50'] / row['p50']:.1f}× | {o['p95'] / row['p95']:.1f}× | "
            f"{o['cpu_ms'] / row['cpu_ms']:.1f}× |"
        )
    g = r["floor"][0]
    lines.append(
        f"\nGrid JSON size: ours {g['ours_bytes']:,} bytes, floor {g['bytes']:,} bytes (the "
        "floor carries lessons, roster, marks, absences; no averages, rights, КТП or files). "
        "Ours is the whole request through the test client. Diary week and gradesheet: not "
        "built yet."
    )
    return lines


def _writers_line(w: dict, who: str, sqlite: bool) -> str:
    ok = w["rate"] >= WRITERS_TARGET and w["locked"] == 0 and not w["errors"]
    met = "met" if ok else "**not met**"
    target = (
        f"Target: ≥ {WRITERS_TARGET} marks/s, 0 locked — {met}."
        if sqlite
        else "Target: ≥ 1,000 marks/s on 8 vCPU (scale.md R2); none for this machine."
    )
    line = (
        f"- {w['threads']} {who} over {w['courses']} courses for "
        f"{w['seconds']:.1f} s, {w.get('cells', 1)} mark(s) a request: "
        f"**{w['rate']:.0f} marks/s** ({w['saved']} saved), "
        f"p50 {_fmt(w['p50'])} ms, p95 {_fmt(w['p95'])} ms, p99 {_fmt(w['p99'])} ms; "
        f"errors: {w['errors']}; **database is locked: {w['locked']}**. {target}"
    )
    if w["note"]:
        line += f" Note: {w['note']}."
    if w["error_kinds"]:
        line += f" Errors by kind: {w['error_kinds']}"
    return line


def _writers_section(r: dict) -> list[str]:
    sqlite = r["db"].startswith("SQLite")
    lines = ["### (d) Concurrent writers (marks to random students and held lessons)", ""]
    who = "writer threads in one process, own connection each,"
    lines += [_writers_line(w, who, sqlite) for w in r.get("writers", [])]
    who = "keep-alive HTTP clients against the server"
    lines += [_writers_line(w, who, sqlite) for w in r.get("http", {}).get("writers", [])]
    one = next((row for row in r["in_process"] if row["name"] == "one mark"), None)
    if one and one["cpu_ms"] > 0:
        lines.append(
            f"\nOne mark costs {one['cpu_ms']:.1f} ms of CPU in process ({one['queries']} "
            f"queries): one Python process saves at most ≈ {1000 / one['cpu_ms']:.0f} single "
            f"marks/s (the GIL), this machine ≈ {os.cpu_count() * 1000 / one['cpu_ms']:.0f}/s "
            "on all its cores."
        )
        if sqlite:
            lines[-1] += (
                " SQLite writers of one process take turns on a mutex before BEGIN IMMEDIATE "
                "(src/otmetka/config/sqlite), so a queue of threads waits instead of timing "
                "out in SQLite's busy handler."
            )
    return lines


def render(args: argparse.Namespace, results: list[dict], skipped: list[str]) -> str:
    lines = [
        "# Otmetka benchmark",
        "",
        f"`bench/run {' '.join(args.argv)}`".replace("`bench/run `", "`bench/run`"),
        "",
        "## Machine",
        "",
        *machine(),
        f"- School clock: {NOW:%Y-%m-%d %H:%M} UTC (time_machine, ticking)",
    ]
    lines += [f"- {s}" for s in skipped]
    for r in results:
        f = r["facts"]
        load_s = r["load"]["load_s"]
        lines += [
            "",
            f"## {r['db']}",
            "",
            (f"Dataset `{args.dataset}`: " if not args.reuse else "Dataset: ")
            + r["load"]["how"]
            + (f", loaded in {load_s:.1f} s" if load_s is not None else "")
            + ".",
            f"{f['schools']:,} schools, {f['classes']:,} classes, {f['students']:,} students, "
            f"{f['users']:,} users, {f['lessons']:,} lessons, {f['marks']:,} marks, "
            f"{f['absences']:,} absences.",
            f"Journal read: {r['journal']['journal']}, {r['journal']['period']}, "
            f"{r['journal']['period_lessons']} lessons; saves go to {r['write_journal']}.",
        ]
        if r["journal"]["students"] < 25:
            lines.append(
                f"(§6's journal has 25–30 students; this dataset's has "
                f"{r['journal']['students']}: use `--dataset school-S` for the figures.)"
            )
        lines += ["", *_in_process_section(args, r)]
        if "http" in r:
            lines += ["", *_http_section(args, r["http"])]
        if "floor" in r:
            lines += ["", *_floor_section(r)]
        if "writers" in r or r.get("http", {}).get("writers"):
            lines += ["", *_writers_section(r)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the databases (parent)


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
    parser.add_argument("--skip", type=_list(str), default=[], help="any of http,floor,writers")
    parser.add_argument("--out", help="also write the Markdown report here")
    parser.add_argument(
        "--sql", action="store_true", help="list the queries of each in-process request"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    unknown = set(args.skip) - {"http", "floor", "writers"}
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
