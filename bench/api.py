"""The mobile API's hot reads against issue 17's targets, on the demo school: ЭлЖур's getdiary
for a week (the whole request: token, access, selectors, envelope) beside the diary week's
floor, and /api/v1's diary days answered 304 from an ETag (what an app polling every minute
costs). Prints numbers; asserts nothing.

    uv run python bench/api.py                       # a fresh demo school in a temporary dir
    uv run python bench/api.py --data-dir /tmp/otm   # an existing demo database
    DATABASE_URL=postgres://…/otm_bench uv run python bench/api.py

Targets: getdiary for a week p95 ≤ 25 ms; a 304 p95 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any

from _common import percentile

from diary import WEEK_SQL, _prepare, _queries, _raw, _setting


def _timed(fn: Callable[[int], Any], rounds: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds (this process: the whole request in the test client, the
    database's own work too on SQLite, not PostgreSQL's server side) of each round."""
    fn(0)  # warm up
    wall, cpu = [], []
    for i in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        fn(i)
        cpu.append((time.process_time() - used) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def _row(name: str, target: str, fn: Callable[[int], Any], floor: Callable[[int], Any] | None,
         count: Callable[[], Any], rounds: int) -> dict[str, Any]:  # fmt: skip
    wall, cpu = _timed(fn, rounds)
    floors = _timed(floor, rounds)[0] if floor is not None else None
    return {
        "name": name,
        "p50": percentile(wall, 50),
        "p95": percentile(wall, 95),
        "cpu_p50": percentile(cpu, 50),
        "cpu_p95": percentile(cpu, 95),
        "queries": _queries(count),
        "floor_p50": percentile(floors, 50) if floors else None,
        "target": target,
    }


def _parent_token(student: Any) -> str:
    """A guardian of the student with a token (created: roll back after)."""
    from otmetka.accounts.models import User
    from otmetka.accounts.tokens import token_issue
    from otmetka.people.models import Guardian

    user = User.objects.create(username=f"bench-api-parent-{student.pk}", last_name="Бенчева")
    Guardian.objects.create(school_id=student.school_id, student=student, user=user)
    return token_issue(user=user, name="bench", writable=False)[0]


def measure(rounds: int = 200) -> list[dict[str, Any]]:
    """Rows for bench/run's table (see bench/areas.py); no rows without data."""
    import orjson
    from django.test import Client

    found = _setting()
    if found is None:
        return []
    _class, student, monday = found
    end = monday + datetime.timedelta(days=6)
    token = _parent_token(student)
    client = Client(SERVER_NAME="127.0.0.1")
    query = {"auth_token": token, "student": student.pk, "days": f"{monday:%Y%m%d}-{end:%Y%m%d}"}
    bearer = Client(SERVER_NAME="127.0.0.1", headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/diary/{student.pk}/days?start={monday}&end={end}"
    etag = bearer.get(url).headers["ETag"]
    week_params = [student.pk, False, student.pk, student.school_id, monday, end, student.pk,
                   end, monday, student.pk]  # fmt: skip
    return [
        _row("apiv3 getdiary week", "p95 ≤ 25 ms",
             lambda i: client.get("/apiv3/getdiary", query),
             lambda i: orjson.dumps(_raw(WEEK_SQL, week_params), default=str),
             lambda: client.get("/apiv3/getdiary", query), rounds),
        _row("api/v1 diary days 304 (ETag)", "p95 ≤ 5 ms",
             lambda i: bearer.get(url, headers={"If-None-Match": etag}), None,
             lambda: bearer.get(url, headers={"If-None-Match": etag}), rounds),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="an OTMETKA_DATA_DIR with the demo (default: a new one)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="otmetka-bench-api-")
    _prepare(data_dir, 25)
    from django.db import connection, transaction

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"database: {connection.vendor}, rounds: {args.rounds}, load average: {load:.1f}")
    print(f"{'request':<34} {'p50 ms':>7} {'p95 ms':>7} {'cpu p50':>7} {'cpu p95':>7} "
          f"{'queries':>7} {'floor':>7}")  # fmt: skip
    with transaction.atomic():
        rows = measure(args.rounds)
        transaction.set_rollback(True)
    for r in rows:
        floor = r["floor_p50"] or float("nan")
        print(f"{r['name']:<34} {r['p50']:>7.2f} {r['p95']:>7.2f} {r['cpu_p50']:>7.2f} "
              f"{r['cpu_p95']:>7.2f} {r['queries']:>7} {floor:>7.2f}  {r['target']}")  # fmt: skip
    after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average after: {after:.1f}")


if __name__ == "__main__":
    main()
