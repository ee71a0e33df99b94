"""The hot requests of DESIGN.md §6 (targets, what is requested), measured in process through
Django's test client (a), and the floor they are compared with (c): bench/run's worker calls
these with Django set up on the loaded dataset."""

import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PASSWORD, Journal, percentile


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
}
WRITERS_TARGET = 300  # marks/s with 100 writers, SQLite on this machine (DESIGN.md §6)


# Requests of each kind before the measured ones, ours and the floor's alike: a server's process
# has served many (its connection's page cache, the statement caches, the per-school reference
# cache are warm); the first dozen saves after a start cost 1.5–2× the rest.
WARMUP = 20

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START TRANSACTION")


def is_transaction_control(sql: str) -> bool:
    """BEGIN, COMMIT, SAVEPOINT…: counted apart from the data statements in the report."""
    return sql.lstrip().upper().startswith(TRANSACTION_CONTROL)


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
        # Student by student, then the next lesson: the saves spread over the class, as a
        # teacher's do, rather than piling on one student's row.
        n = len(write.students)
        student = write.students[i % n]
        lesson = lessons[(i // n) % len(lessons)]
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


class _Answer:
    """What a WSGI call answered: the status code and the body."""

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code, self.content = status_code, content


class WsgiCaller:
    """Calls the WSGI application as a server's worker does (`otmetka.config.wsgi`, the one
    `otmetka serve` runs: its gc.freeze included): an environ per request, the body read, the
    response closed (request_finished). No socket and no HTTP parsing (the HTTP rows have
    them), and none of the test client's own work (its template-capture signals, cookie jar and
    response decoration), and the CSRF check a browser's request gets. Interleaved in one
    process (`tiny`, SQLite, 02.12.2026) the two cost the same CPU within 2 %."""

    def __init__(self, cookies: str, csrf: str) -> None:
        from otmetka.config.wsgi import application

        self.app, self.cookies, self.csrf = application, cookies, csrf

    def __call__(self, method: str, path: str, body: bytes | None, ctype: str | None) -> _Answer:
        import io

        route, _, query = path.partition("?")
        body = body or b""
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": route, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": self.cookies, "HTTP_X_CSRFTOKEN": self.csrf,
            "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": ctype or "",
            "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }  # fmt: skip
        status: list[str] = []

        def start_response(line: str, _headers: list, _exc: Any = None) -> None:
            status.append(line)

        answer = self.app(environ, start_response)
        try:
            content = b"".join(answer)
        finally:
            answer.close()
        return _Answer(int(status[0].split()[0]), content)


def _session(user: Any) -> str:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


def wsgi_calls(read: Journal, write: Journal) -> tuple[Callable[[Spec, int], Any], str]:
    """A request of a spec through the WSGI application, each persona with its own session
    (`anon`: a fresh visitor), and the CSRF token they send."""
    import secrets

    csrf = secrets.token_hex(16)
    callers = {
        who: WsgiCaller(f"sessionid={_session(j.teacher)}; csrftoken={csrf}", csrf)
        for who, j in (("read", read), ("write", write))
    }
    callers["anon"] = WsgiCaller(f"csrftoken={csrf}", csrf)  # no session: a fresh visitor

    def call(spec: Spec, i: int) -> Any:
        method, path, body, ctype, who = spec.make(i)
        return callers[who](method, path, body, ctype)

    return call, csrf


@contextmanager
def marks_undone(journal: Journal) -> Iterator[None]:
    """The journal's marks as they were before the block: the marks its saves made are deleted
    after it (the audit events stay). Each measured run saves 70–90 marks (a column run 6–30
    each): left in place they piled up to ~200 marks a student in the quarter by the floor's
    turn — a real student has 10–20, and a save's answer reads the student's marks of the
    period — so that the later rows measured a journal no school has."""
    from otmetka.journal.models import Mark

    last = Mark.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        Mark.objects.filter(pk__gt=last, lesson__course=journal.course).delete()


def in_process(read: Journal, write: Journal, rounds: int, via: str = "wsgi") -> list[dict]:
    """Each hot request `rounds` times after a warm-up, through the WSGI application as a
    server calls it (`via="wsgi"`), or through Django's test client (`via="client"`, the
    measure of the earlier reports)."""
    from http.cookies import SimpleCookie

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if via == "wsgi":
        call, csrf = wsgi_calls(read, write)

    else:
        csrf = ""  # the test client skips the CSRF check
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
    for spec in specs(read, write, csrf=csrf):
        failures, first_error = 0, ""

        def check(response: Any, spec: Spec = spec) -> None:
            nonlocal failures, first_error
            if response.status_code != spec.expect:
                failures += 1
                first_error = first_error or f"{response.status_code} {response.content[:200]!r}"

        with marks_undone(write):
            for i in range(WARMUP):  # a server's process has served these before
                check(call(spec, rounds + 2 + i))
            with CaptureQueriesContext(connection) as captured:
                check(call(spec, rounds + 1))
            queries = len(captured.captured_queries)
            # Now: the next request's request_started signal empties the connection's query log.
            sql = [q["sql"] for q in captured.captured_queries]
            tx = sum(1 for q in sql if is_transaction_control(q))
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
                "tx": tx,
                "sql": sql,
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
                    " object_type, object_id, before, after, reason, group_key, prev_hash, hash)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
                    "",  # the floor leaves the audit chain out (not a link: "before the chain")
                    "",
                ],
            )
        finally:
            cursor.close()


def floor(read: Journal, write: Journal, rounds: int, grid_bytes: int) -> list[dict]:
    """The floor of the grid JSON and of one mark, each measured **paired** with ours: the two
    alternate request by request (ours, the floor, ours, …), both after the same warm-up, so
    that both see the same machine — on a shared box the speed moves by ±30 % within a minute,
    and a floor timed a minute after ours gave ratios from 8× to 16× for the same code. Ours is
    the request through the WSGI application, as in (a)."""
    call, csrf = wsgi_calls(read, write)
    by_name = {spec.name: spec for spec in specs(read, write, csrf)}
    rows = []
    for name, action in (
        ("grid JSON", lambda _i: floor_grid(read)),
        ("one mark", lambda i: floor_mark(write, i)),
    ):
        spec = by_name[name]

        def ours(i: int, spec: Spec = spec) -> None:
            response = call(spec, i)
            if response.status_code != spec.expect:
                raise RuntimeError(
                    f"{spec.name}: {response.status_code} {response.content[:200]!r}"
                )

        with marks_undone(write):  # the same journal for each pair
            for i in range(WARMUP):
                ours(10_000 + i)
                action(10_000 + i)
            times: dict[str, list[float]] = {"ours": [], "floor": []}
            cpu = {"ours": 0.0, "floor": 0.0}
            wall0 = time.perf_counter()
            for i in range(rounds):
                for who, run in (("ours", ours), ("floor", action)):
                    cpu0, started = time.process_time(), time.perf_counter()
                    run(20_000 + i)
                    times[who].append((time.perf_counter() - started) * 1000)
                    cpu[who] += time.process_time() - cpu0
            wall = time.perf_counter() - wall0
        floor_stats, our_stats = _stats(times["floor"]), _stats(times["ours"])
        rows.append(
            {
                "name": name,
                **floor_stats,
                "rps": rounds / wall,
                "cpu_ms": cpu["floor"] * 1000 / rounds,
                "ours_p50": our_stats["p50"],
                "ours_p95": our_stats["p95"],
                "ours_cpu_ms": cpu["ours"] * 1000 / rounds,
            }
        )
    rows[0]["bytes"] = len(floor_grid(read))
    rows[0]["ours_bytes"] = grid_bytes
    return rows
