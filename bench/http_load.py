"""bench/run over HTTP (b) against `otmetka serve` with keep-alive clients, and the concurrent
writers (d)."""

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, Journal
from hot import Spec, _session, _stats, specs

HERE = Path(__file__).resolve().parent
LOCKED = "database is locked"

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

    def __init__(self, log: Path, workers: int = 0, threads: int = 0) -> None:
        self.port = _free_port()
        self.log = log.open("wb")
        sizes = ["--workers", str(workers), "--threads", str(threads)]
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "serve_at.py"), "--port", str(self.port), *sizes],
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


POOL = 4096  # requests made ahead for a level; request i is pool[i % POOL]


def _level(
    port: int, spec: Spec, headers: dict[str, dict], clients: int, limit: int, seconds: float
) -> dict:
    """One level: `clients` keep-alive clients of bench/loadgen.py, a process of its own, for
    `limit` requests or `seconds`. Its CPU is reported (client_cpu_ms) beside the server's."""
    requests = []
    for i in range(min(limit, POOL)):
        method, path, body, ctype, who = spec.make(i)
        hdrs = dict(headers[who])
        if ctype:
            hdrs["Content-Type"] = ctype
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        requests.append([method, path, text, hdrs, spec.expect])
    job = {"port": port, "clients": clients, "seconds": seconds, "limit": limit}
    done = subprocess.run(
        [sys.executable, str(HERE / "loadgen.py")],
        input=json.dumps({**job, "requests": requests}),
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout)
    times, errors, wall = out["times"], Counter(out["errors"]), out["wall"]
    n = len(times) + sum(errors.values())
    load = Path("/proc/loadavg").read_text().split()[0]
    return {
        "load": float(load),
        **_stats(times),
        "clients": clients,
        "client_cpu_ms": out["cpu_s"] * 1000 / n if n else 0.0,
        "client_cpu_share": out["cpu_s"] / wall if wall else 0.0,
        "wall": wall,
        "rps": n / wall if wall else 0.0,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(3)),
        "done": n,
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
    server = Server(log, args.serve_workers, args.serve_threads)
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
            if args.http_only and spec.name not in args.http_only:
                continue
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
        from otmetka.core.management.commands.serve import default_threads, default_workers

        result = {
            "clock": f"{shown['name']} {shown['start']}–{shown['end']}",
            "rows": rows,
            "workers": args.serve_workers or default_workers(),
            "threads": args.serve_threads or default_threads(),
        }
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
